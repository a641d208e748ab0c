"""Logging contacts from a case or an investigation, reading them, and correcting them by amendment only."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from cases import services
from cases.models import Contact, ContactAmendment
from investigations.models import InvestigationContact
from investigations.services import investigation_assign
from investigations.services.contacts import investigation_contact_record
from tests.factories import make_case, make_person, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_case(cast):
    """Opened 31 days ago and nobody seen since: every member is overdue."""
    return make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)


@pytest.fixture
def contact(cast, overdue_case):
    child = overdue_case.members.filter(role="child").first()
    return services.contact_record(
        actor=cast.worker,
        case=overdue_case,
        occurred_at=timezone.now() - timedelta(hours=2),
        contact_type="face_to_face",
        location="residence",
        people_seen=[child.person],
        narrative="Kitchen stocked; children in clean clothes.",
    )


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def visit_data(*people, **overrides) -> dict:
    return {
        "occurred_at": local_input(timezone.now() - timedelta(minutes=30)),
        "contact_type": "face_to_face",
        "people_seen": [str(person.public_id) for person in people],
        "location": "residence",
        "location_detail": "",
        "narrative": "Both children at home with their mother; fridge stocked.",
        "safety_concerns": "",
        "next_steps": "Check school attendance.",
        **overrides,
    }


def member_row(page: str, member) -> str:
    start = page.index(f'id="member-{member.public_id}"')
    return page[start : page.index("</li>", start)]


def test_logging_a_visit_from_the_case_page_clears_the_overdue_mark_at_once(cast, client_for, overdue_case):
    child = overdue_case.members.filter(role="child").select_related("person").first()
    client = client_for(cast.worker)
    case_url = reverse("case_detail", args=[overdue_case.public_id])
    before = client.get(case_url).content.decode()
    assert "visit-overdue" in member_row(before, child)
    log_visit = f"{reverse('contact_create', args=[overdue_case.public_id])}?member={child.public_id}"
    assert log_visit in member_row(before, child)

    response = client.post(log_visit, visit_data(child.person), follow=True)
    after = response.content.decode()
    assert response.redirect_chain == [(case_url, 302)]
    assert '<span class="visit visit-visited">Visited</span>' in member_row(after, child)
    assert "visit-overdue" not in member_row(after, child)
    assert after.count('<span class="visit visit-overdue">Overdue</span>') == 2
    assert f"Visit recorded: {child.person.full_name} seen." in after


def test_log_visit_opens_the_form_with_the_member_ticked_the_time_now_and_face_to_face_chosen(
    cast, client_for, overdue_case
):
    child = overdue_case.members.filter(role="child").select_related("person").first()
    url = reverse("contact_create", args=[overdue_case.public_id])
    page = client_for(cast.worker).get(url, {"member": str(child.public_id)}).content.decode()
    ticked = re.findall(r'name="people_seen" value="([^"]+)" checked', page)
    assert ticked == [str(child.person.public_id)]
    shown = re.search(r'name="occurred_at" value="([^"]+)"', page).group(1)
    when = timezone.make_aware(datetime.strptime(shown, "%Y-%m-%dT%H:%M"))
    assert abs(when - timezone.now()) < timedelta(minutes=2)
    assert 'value="face_to_face" id="id_contact_type_0" required checked' in page
    assert f'data-draft-key="contact:{cast.worker.public_id}:{overdue_case.public_id}"' in page


def test_a_visit_that_cannot_be_saved_comes_back_with_everything_typed_and_nothing_saved(
    cast, client_for, overdue_case
):
    child = overdue_case.members.filter(role="child").select_related("person").first()
    future = local_input(timezone.now() + timedelta(days=1))
    data = visit_data(child.person, occurred_at=future, next_steps="Call the school nurse.", narrative="")
    response = client_for(cast.worker).post(reverse("contact_create", args=[overdue_case.public_id]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Call the school nurse." in page
    assert f'value="{future}"' in page
    assert f'value="{child.person.public_id}" checked' in page
    assert not Contact.objects.exists()

    data = visit_data(child.person, occurred_at=future)
    page = client_for(cast.worker).post(reverse("contact_create", args=[overdue_case.public_id]), data)
    assert "A contact cannot be in the future." in page.content.decode()
    assert not Contact.objects.exists()


def test_a_face_to_face_visit_must_say_who_was_seen(cast, client_for, overdue_case):
    response = client_for(cast.worker).post(reverse("contact_create", args=[overdue_case.public_id]), visit_data())
    assert "Say who was seen." in response.content.decode()
    assert not Contact.objects.exists()


def test_seen_privately_is_about_a_child_who_was_seen(cast, client_for, overdue_case):
    parent = overdue_case.members.get(role="parent")
    data = visit_data(parent.person, seen_privately="on")
    response = client_for(cast.worker).post(reverse("contact_create", args=[overdue_case.public_id]), data)
    assert "Tick the child who was seen privately." in response.content.decode()
    assert not Contact.objects.exists()


def test_safety_concerns_observed_alert_the_supervisor(cast, client_for, overdue_case):
    child = overdue_case.members.filter(role="child").first()
    data = visit_data(child.person, safety_concerns="Exposed wiring in the bedroom.")
    response = client_for(cast.worker).post(reverse("contact_create", args=[overdue_case.public_id]), data, follow=True)
    assert "Your supervisor was alerted to the safety concerns." in response.content.decode()
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="safety concerns").count() == 1


def test_the_case_page_confirms_the_saved_draft_so_the_browser_forgets_it(cast, client_for, overdue_case):
    child = overdue_case.members.filter(role="child").first()
    client = client_for(cast.worker)
    response = client.post(
        reverse("contact_create", args=[overdue_case.public_id]), visit_data(child.person), follow=True
    )
    key = f"contact:{cast.worker.public_id}:{overdue_case.public_id}"
    assert f'data-draft-saved="{key}"' in response.content.decode()
    again = client.get(reverse("case_detail", args=[overdue_case.public_id])).content.decode()
    assert "data-draft-saved" not in again


def test_a_phone_call_does_not_count_as_a_visit(cast, client_for, overdue_case):
    child = overdue_case.members.filter(role="child").first()
    client_for(cast.worker).post(
        reverse("contact_create", args=[overdue_case.public_id]), visit_data(child.person, contact_type="phone")
    )
    child.refresh_from_db()
    assert Contact.objects.count() == 1
    assert child.face_to_face_due < timezone.localdate()


# Reading a contact


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "program_manager", "auditor"])
def test_a_contact_is_read_by_those_who_read_its_case(cast, client_for, contact, role):
    response = client_for(cast.by_role()[role]).get(reverse("contact_detail", args=[contact.public_id]))
    assert response.status_code == 200
    assert "Kitchen stocked; children in clean clothes." in response.content.decode()


@pytest.mark.parametrize("who", ["other_worker", "other_supervisor", "administrator", "screener"])
def test_a_contact_of_a_case_one_may_not_see_does_not_exist(cast, client_for, contact, who):
    assert client_for(getattr(cast, who)).get(reverse("contact_detail", args=[contact.public_id])).status_code == 404


def test_the_case_page_lists_contacts_newest_first(cast, client_for, overdue_case, contact):
    services.contact_record(
        actor=cast.worker,
        case=overdue_case,
        occurred_at=timezone.now() - timedelta(minutes=10),
        contact_type="phone",
        location="office",
        people_seen=[],
        narrative="Mother called about the school meeting.",
    )
    page = client_for(cast.worker).get(reverse("case_detail", args=[overdue_case.public_id])).content.decode()
    assert page.index("<strong>Phone</strong>") < page.index("<strong>Face to face</strong>")


# Correcting a contact


def test_a_correction_keeps_the_old_value_with_who_changed_it_and_why(cast, client_for, contact):
    client = client_for(cast.worker)
    url = reverse("contact_amend", args=[contact.public_id])
    assert "?field=narrative" in client.get(url).content.decode()
    response = client.post(
        f"{url}?field=narrative",
        {
            "field": "narrative",
            "value": "Kitchen stocked; children in clean clothes; baby asleep.",
            "reason": "Left out",
        },
        follow=True,
    )
    contact.refresh_from_db()
    amendment = ContactAmendment.objects.get()
    assert contact.narrative == "Kitchen stocked; children in clean clothes; baby asleep."
    assert amendment.old_value == "Kitchen stocked; children in clean clothes."
    assert (amendment.by, amendment.reason) == (cast.worker, "Left out")
    assert AuditEvent.objects.filter(action="cases.contact.amended", changes__reason_given=True, reason="").exists()
    page = response.content.decode()
    assert "<del>Kitchen stocked; children in clean clothes.</del>" in page
    assert "Narrative corrected; the old value stays on record." in page


def test_a_correction_without_a_reason_changes_nothing(cast, client_for, contact):
    url = reverse("contact_amend", args=[contact.public_id])
    response = client_for(cast.worker).post(url, {"field": "location", "value": "school", "reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    contact.refresh_from_db()
    assert contact.location == "residence"
    assert not ContactAmendment.objects.exists()


def test_correcting_the_type_of_a_visit_puts_the_member_back_overdue(cast, client_for, overdue_case, contact):
    child = overdue_case.members.get(person__in=contact.people_seen.all())
    client_for(cast.worker).post(
        reverse("contact_amend", args=[contact.public_id]),
        {"field": "contact_type", "value": "attempted", "reason": "Nobody answered the door"},
    )
    page = client_for(cast.worker).get(reverse("case_detail", args=[overdue_case.public_id])).content.decode()
    assert "visit-overdue" in member_row(page, child)
    assert ContactAmendment.objects.get().old_value == "face_to_face"
    detail = client_for(cast.worker).get(reverse("contact_detail", args=[contact.public_id])).content.decode()
    assert "<del>Face to face</del>" in detail


def test_safety_concerns_added_by_correction_alert_the_supervisor(cast, client_for, contact):
    client_for(cast.worker).post(
        reverse("contact_amend", args=[contact.public_id]),
        {"field": "safety_concerns", "value": "Bruise on the child's arm", "reason": "Forgot to record it"},
    )
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="safety concerns").exists()


@pytest.mark.parametrize("role", ["program_manager", "auditor"])
def test_read_only_roles_may_not_correct_a_contact(cast, client_for, contact, role):
    url = reverse("contact_amend", args=[contact.public_id])
    client = client_for(cast.by_role()[role])
    assert client.get(url).status_code == 403
    assert client.post(url, {"field": "narrative", "value": "x", "reason": "y"}).status_code == 403


@pytest.mark.parametrize("who", ["other_worker", "administrator"])
def test_correcting_a_contact_one_may_not_see_is_not_found(cast, client_for, contact, who):
    assert client_for(getattr(cast, who)).get(reverse("contact_amend", args=[contact.public_id])).status_code == 404


# Contacts on investigations


@pytest.fixture
def investigation(cast):
    """A screened-in report with its reporter on it as a person; the investigation is the worker's."""
    report = make_report(cast.screener)
    reporter = make_person(cast.screener, first_name="Rhiannon", last_name="Reporterly")
    services.report_add_person(actor=cast.screener, report=report, person=reporter, role="reporter")
    services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    return investigation_assign(actor=cast.supervisor, investigation=report.investigation, worker=cast.worker)


def test_the_investigator_logs_a_contact_with_the_same_form(cast, client_for, investigation):
    victim = investigation.report.participants.get(role="alleged_victim").person
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    client = client_for(cast.worker)
    page = client.get(url).content.decode()
    assert victim.full_name in page
    assert "Reporterly" not in page
    data = visit_data(victim, seen_privately="on", purpose="initial")
    data.update({"collaterals-TOTAL_FORMS": "1", "collaterals-INITIAL_FORMS": "0"})
    response = client.post(url, data, follow=True)
    contact = InvestigationContact.objects.get()
    assert contact.investigation == investigation and not Contact.objects.exists()
    assert contact.seen_privately
    assert response.redirect_chain == [(reverse("contact_detail", args=[contact.public_id]), 302)]
    assert f'data-draft-saved="contact:{cast.worker.public_id}:{investigation.public_id}"' in response.content.decode()


def test_a_reporter_cannot_be_recorded_as_seen_on_an_investigation(cast, investigation):
    reporter = investigation.report.participants.get(role="reporter").person
    with pytest.raises(ValidationError, match="Only people on the case"):
        investigation_contact_record(
            actor=cast.worker,
            investigation=investigation,
            occurred_at=timezone.now() - timedelta(minutes=5),
            contact_type="face_to_face",
            location="office",
            people_seen=[reporter],
            narrative="Interview.",
        )


@pytest.mark.parametrize(("who", "status"), [("program_manager", 403), ("other_worker", 404), ("administrator", 404)])
def test_only_those_working_the_investigation_log_its_contacts(cast, client_for, investigation, who, status):
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    assert client_for(getattr(cast, who)).get(url).status_code == status
