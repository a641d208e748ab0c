"""People carry the restriction of the records they are on: a sealed report's child is hidden from the uncleared.

The cast's screener and supervisor hold the sensitive clearance only; the program manager, the auditor and
the other unit's people hold none. A screener and a caseworker cleared for sealed records work the sealed report.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services as staff
from accounts.models import AuditEvent, User
from accounts.roles import Clearance, Role
from cases import services as cases
from cases.choices import ParticipantRole
from cases.models import Case
from families import services as families
from families.models import Person
from tests.factories import approving_administrator, make_case, make_person, make_report, make_staff, root_administrator

pytestmark = pytest.mark.django_db

UNCLEARED = ["screener", "program_manager", "auditor", "supervisor"]


def clear_for_sealed(user: User) -> User:
    staff.user_update(
        actor=root_administrator(),
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        roles=[role.value for role in Role if user.has_role(role)],
        unit=user.unit,
        clearance_sensitive=True,
        clearance_sealed=True,
        approved_by=approving_administrator(),
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def sealed_screener(cast):
    return make_staff(
        "sealed-screener", Role.INTAKE_SCREENER, unit=cast.unit, clearance_sensitive=True, clearance_sealed=True
    )


@pytest.fixture
def sealed_report(sealed_screener):
    return make_report(
        sealed_screener, access_restriction=Clearance.SEALED, restriction_reason="A staff member's family"
    )


@pytest.fixture
def sealed_child(sealed_report):
    return sealed_report.participants.get(role=ParticipantRole.ALLEGED_VICTIM).person


@pytest.fixture
def sealed_mother(sealed_report):
    return sealed_report.participants.get(role=ParticipantRole.ALLEGED_PERPETRATOR).person


def found_by_name(api, person: Person) -> bool:
    response = api.get(reverse("api_person_list"), {"name": person.full_name})
    assert response.status_code == 200
    return str(person.public_id) in [row["id"] for row in response.json()["results"]]


def test_it_gives_the_people_of_a_sealed_report_its_restriction(sealed_child, sealed_mother):
    assert sealed_child.access_restriction == sealed_mother.access_restriction == Clearance.SEALED


@pytest.mark.parametrize("role", UNCLEARED)
def test_it_does_not_find_a_sealed_child_by_name_for_the_uncleared(cast, api_for, client_for, sealed_child, role):
    user = getattr(cast, role)
    assert not found_by_name(api_for(user), sealed_child)
    page = client_for(user).get(reverse("person_search"), {"name": sealed_child.full_name})
    assert page.status_code == 200
    assert sealed_child not in page.context["results"]


@pytest.mark.parametrize("role", UNCLEARED)
def test_a_sealed_child_answers_404_on_page_and_api_for_the_uncleared(cast, api_for, client_for, sealed_child, role):
    user = getattr(cast, role)
    assert client_for(user).get(reverse("person_detail", args=[sealed_child.public_id])).status_code == 404
    api = api_for(user)
    detail = reverse("api_person_detail", args=[sealed_child.public_id])
    assert api.get(detail).status_code == 404
    assert api.patch(detail, {"phone": "555-0100"}, format="json").status_code == 404
    assert api.get(reverse("api_person_relationships", args=[sealed_child.public_id])).status_code == 404
    assert api.get(reverse("api_person_households", args=[sealed_child.public_id])).status_code == 404


def test_an_uncleared_screener_cannot_put_a_sealed_child_on_an_ordinary_report(cast, api_for, sealed_child):
    ordinary = make_report(cast.screener, children=0)
    response = api_for(cast.screener).post(
        reverse("api_intake_report_people", args=[ordinary.public_id]),
        {"person": str(sealed_child.public_id), "role": "alleged_victim"},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    with pytest.raises(PermissionDenied):
        cases.report_add_person(actor=cast.screener, report=ordinary, person=sealed_child, role="alleged_victim")
    assert not ordinary.participants.filter(person=sealed_child).exists()


def test_cleared_users_still_see_a_sealed_child(cast, api_for, client_for, sealed_screener, sealed_child):
    assert found_by_name(api_for(sealed_screener), sealed_child)
    manager = clear_for_sealed(cast.program_manager)
    assert found_by_name(api_for(manager), sealed_child)
    assert client_for(manager).get(reverse("person_detail", args=[sealed_child.public_id])).status_code == 200


def test_a_relationship_to_another_familys_parent_does_not_open_a_sealed_child(
    cast, api_for, client_for, sealed_screener, sealed_child
):
    case = make_case(cast.other_supervisor, worker=cast.other_worker, children=1)
    other_parent = case.members.get(role="parent").person
    families.relationship_create(actor=sealed_screener, person=other_parent, relative=sealed_child, kind="birth_parent")
    for user in (cast.other_worker, cast.other_supervisor):
        assert client_for(user).get(reverse("person_detail", args=[sealed_child.public_id])).status_code == 404
        assert not found_by_name(api_for(user), sealed_child)
        related = api_for(user).get(reverse("api_person_relationships", args=[other_parent.public_id])).json()
        assert str(sealed_child.public_id) not in str(related)


def test_an_uncleared_supervisor_cannot_merge_a_sealed_child(cast, api_for, client_for, sealed_screener, sealed_child):
    case = make_case(cast.other_supervisor, worker=cast.other_worker, children=1)
    own_child = case.members.filter(role="child").first().person
    families.relationship_create(actor=sealed_screener, person=own_child, relative=sealed_child, kind="sibling")
    page = client_for(cast.other_supervisor).post(
        reverse("person_merge", args=[own_child.public_id]),
        {"duplicate": str(sealed_child.public_id), "reason": "Same child"},
    )
    assert page.status_code == 404
    api = api_for(cast.other_supervisor).post(
        reverse("api_person_merge", args=[own_child.public_id]),
        {"duplicate": str(sealed_child.public_id), "reason": "Same child"},
        format="json",
    )
    assert api.status_code == 404
    sealed_child.refresh_from_db()
    assert sealed_child.merged_into_id is None


def test_a_merge_leaves_both_records_behind_the_highest_restriction(cast, sealed_screener, sealed_child):
    supervisor = clear_for_sealed(cast.supervisor)
    twin = make_person(cast.screener, first_name=sealed_child.first_name, last_name=sealed_child.last_name)
    cases.report_add_person(actor=cast.screener, report=make_report(cast.screener), person=twin, role="collateral")
    families.person_merge(actor=supervisor, survivor=twin, duplicate=sealed_child, reason="Entered twice")
    twin.refresh_from_db()
    sealed_child.refresh_from_db()
    assert twin.access_restriction == sealed_child.access_restriction == Clearance.SEALED


def test_the_restriction_goes_back_down_when_the_participant_is_removed(cast, api_for, sealed_screener, sealed_report):
    cousin = make_person(cast.screener, first_name="Ines", last_name="Okafor")
    participant = cases.report_add_person(
        actor=sealed_screener, report=sealed_report, person=cousin, role=ParticipantRole.COLLATERAL
    )
    cousin.refresh_from_db()
    assert cousin.access_restriction == Clearance.SEALED
    assert not found_by_name(api_for(cast.program_manager), cousin)
    cases.report_remove_person(actor=sealed_screener, report=sealed_report, participant=participant)
    cousin.refresh_from_db()
    assert cousin.access_restriction == Clearance.NONE
    assert found_by_name(api_for(cast.program_manager), cousin)


def test_a_report_made_sealed_seals_its_people(cast, api_for):
    report = make_report(cast.screener)
    child = report.participants.get(role=ParticipantRole.ALLEGED_VICTIM).person
    assert found_by_name(api_for(cast.program_manager), child)
    sealed_screener = make_staff("sealer", Role.INTAKE_SCREENER, unit=cast.unit, clearance_sealed=True)
    cases.report_update(
        actor=sealed_screener, report=report, access_restriction=Clearance.SEALED, restriction_reason="Staff family"
    )
    child.refresh_from_db()
    assert child.access_restriction == Clearance.SEALED
    assert not found_by_name(api_for(cast.program_manager), child)


def test_recording_a_person_gives_no_access_before_or_after_they_are_on_a_record(cast, client_for):
    grandmother = make_person(cast.worker, first_name="Ada", last_name="Mensah")
    page = reverse("person_detail", args=[grandmother.public_id])
    assert client_for(cast.worker).get(page).status_code == 404
    report = make_report(cast.screener, children=0)
    cases.report_add_person(actor=cast.screener, report=report, person=grandmother, role=ParticipantRole.COLLATERAL)
    assert client_for(cast.worker).get(page).status_code == 404


@pytest.fixture
def screened_in_sealed(sealed_screener, sealed_report):
    return cases.report_screen_in(actor=sealed_screener, report=sealed_report, response_priority="3_days")


def _open_from(report, *, supervisor, worker, **fields) -> Case:
    members = [
        cases.NewMember(person=participant.person, role="child" if participant.role == "alleged_victim" else "parent")
        for participant in report.participants.all()
    ]
    return cases.case_open(
        actor=supervisor,
        family_name="Okafor family",
        opened_for="voluntary",
        unit=report.unit,
        members=members,
        primary_worker=worker,
        source_report=report,
        **fields,
    )


def test_a_case_opened_from_a_sealed_report_is_sealed(cast, screened_in_sealed):
    supervisor = clear_for_sealed(cast.supervisor)
    worker = make_staff(
        "sealed-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True, clearance_sealed=True
    )
    case = _open_from(screened_in_sealed, supervisor=supervisor, worker=worker)
    assert case.access_restriction == Clearance.SEALED and case.restriction_reason
    assert Case.objects.filter(pk=case.pk, access_restriction=Clearance.SEALED).exists()


def test_an_uncleared_worker_cannot_be_assigned_a_case_from_a_sealed_report(cast, screened_in_sealed):
    supervisor = clear_for_sealed(cast.supervisor)
    with pytest.raises(ValidationError) as refused:
        _open_from(screened_in_sealed, supervisor=supervisor, worker=cast.worker)
    assert "primary_worker" in refused.value.message_dict
    assert not Case.objects.filter(source_report=screened_in_sealed).exists()


def test_a_cleared_supervisor_lowers_a_case_restriction_only_with_a_reason(cast, screened_in_sealed):
    supervisor = clear_for_sealed(cast.supervisor)
    worker = make_staff(
        "sealed-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True, clearance_sealed=True
    )
    case = _open_from(screened_in_sealed, supervisor=supervisor, worker=worker)
    with pytest.raises(ValidationError):
        cases.case_change_restriction(actor=supervisor, case=case, access_restriction=Clearance.SENSITIVE, reason="")
    with pytest.raises(PermissionDenied):
        cases.case_change_restriction(
            actor=cast.other_supervisor, case=case, access_restriction=Clearance.NONE, reason="Not a staff family"
        )
    case = cases.case_change_restriction(
        actor=supervisor, case=case, access_restriction=Clearance.SENSITIVE, reason="Only the colleague is excluded"
    )
    assert case.access_restriction == Clearance.SENSITIVE
    assert AuditEvent.objects.filter(action="cases.case.restriction_changed", actor=supervisor).exists()
    # The people stay sealed while the sealed report still holds them.
    child = screened_in_sealed.participants.get(role=ParticipantRole.ALLEGED_VICTIM).person
    child.refresh_from_db()
    assert child.access_restriction == Clearance.SEALED


def test_the_api_changes_a_case_restriction_for_a_cleared_supervisor(cast, api_for, screened_in_sealed):
    supervisor = clear_for_sealed(cast.supervisor)
    worker = make_staff(
        "sealed-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True, clearance_sealed=True
    )
    case = _open_from(screened_in_sealed, supervisor=supervisor, worker=worker)
    url = reverse("api_case_restriction", args=[case.public_id])
    assert api_for(cast.other_supervisor).post(url, {"access_restriction": "none", "reason": "x"}).status_code == 404
    refused = api_for(supervisor).post(url, {"access_restriction": "none", "reason": ""}, format="json")
    assert refused.status_code == 400
    changed = api_for(supervisor).post(url, {"access_restriction": "sensitive", "reason": "Staff family only"})
    assert changed.status_code == 200 and changed.json()["access_restriction"] == "sensitive"
