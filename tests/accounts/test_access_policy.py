"""The access policy, tested on the first case records: intake reports and their investigations.

Access comes from assignment (worker) and unit (supervisor); program managers and auditors
read across units; administrators see no case content; restricted records need clearance;
explicit guardian grants add expiring access that assignments do not express.
"""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from accounts import access, services
from accounts.models import AuditEvent, Unit
from accounts.roles import Clearance, Role
from cases.models import IntakeReport, IntakeReportUserGrant
from investigations.models import Investigation
from investigations.services import investigation_assign
from tests.factories import approving_administrator, make_investigation, make_report, make_staff

pytestmark = pytest.mark.django_db


def sees(user, obj) -> bool:
    return access.visible(user, type(obj).objects.all()).filter(pk=obj.pk).exists()


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


def test_the_assigned_worker_sees_the_investigation_and_its_report(cast, investigation):
    assert sees(cast.worker, investigation)
    assert sees(cast.worker, investigation.report)
    assert access.can_change(cast.worker, investigation)


def test_a_worker_of_the_same_unit_who_is_not_assigned_sees_nothing(cast, investigation):
    colleague = make_staff("colleague", Role.CASEWORKER, unit=cast.unit, first_name="Pat", last_name="Doe")
    assert not sees(colleague, investigation)
    assert not sees(colleague, investigation.report)


def test_the_unit_supervisor_sees_and_changes_and_another_unit_does_not(cast, investigation):
    assert sees(cast.supervisor, investigation)
    assert access.can_change(cast.supervisor, investigation)
    assert not sees(cast.other_supervisor, investigation)
    assert not sees(cast.other_worker, investigation)


def test_a_program_manager_reads_across_units_but_cannot_change(cast, investigation):
    assert sees(cast.program_manager, investigation)
    with pytest.raises(PermissionDenied):
        access.get_for_change(cast.program_manager, Investigation.objects.all(), pk=investigation.pk)


def test_an_administrator_gets_no_case_content(cast, investigation):
    assert not sees(cast.administrator, investigation)
    assert not sees(cast.administrator, investigation.report)
    with pytest.raises(Http404):
        access.get_for_view(cast.administrator, Investigation.objects.all(), pk=investigation.pk)


def test_every_read_is_audited_including_the_auditors(cast, investigation):
    access.get_for_view(cast.auditor, Investigation.objects.all(), pk=investigation.pk)
    event = AuditEvent.objects.get(action="investigations.investigation.viewed", actor=cast.auditor)
    assert event.target_id == str(investigation.public_id)
    assert event.target_label == investigation.reference


def test_not_visible_and_missing_are_the_same_404(cast, investigation):
    with pytest.raises(Http404):
        access.get_for_view(cast.other_worker, Investigation.objects.all(), pk=investigation.pk)
    with pytest.raises(Http404):
        access.get_for_view(cast.other_worker, Investigation.objects.all(), pk=investigation.pk + 1000)


def set_sensitive_clearance(cast, user, value: bool) -> None:
    services.user_update(
        actor=cast.administrator,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email="",
        roles=["caseworker"],
        unit=cast.unit,
        clearance_sensitive=value,
        clearance_sealed=False,
        approved_by=approving_administrator(),
    )
    user.refresh_from_db()


def test_restricted_records_need_the_clearance_on_top_of_assignment(cast):
    set_sensitive_clearance(cast, cast.worker, True)
    sensitive = make_investigation(
        cast.screener, worker=cast.worker, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family"
    )
    assert sees(cast.worker, sensitive)
    assert sees(cast.worker, sensitive.report)
    assert not sees(cast.program_manager, sensitive)
    set_sensitive_clearance(cast, cast.worker, False)
    assert not sees(cast.worker, sensitive), "losing the clearance ends access though the assignment stays"
    assert not sees(cast.worker, sensitive.report)


def test_an_explicit_grant_lets_a_covering_worker_in_until_it_expires(cast, investigation):
    report = investigation.report
    assert not sees(cast.other_worker, report)
    grant = services.access_grant(
        actor=cast.supervisor,
        obj=report,
        grantee=cast.other_worker,
        action="view",
        expires_at=timezone.now() + timedelta(days=7),
        reason="Covering during leave",
    )
    assert sees(cast.other_worker, report)
    assert not access.can_change(cast.other_worker, report)
    event = AuditEvent.objects.get(action="accounts.grant.granted")
    # The reason stays on the grant itself; the log notes that one was given.
    assert event.actor == cast.supervisor and event.reason == "" and event.changes["reason_given"]

    IntakeReportUserGrant.all_grants.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not sees(cast.other_worker, report), "an expired grant stops working before the clean-up job runs"


def test_a_grant_on_a_sealed_record_is_never_its_clearance(cast):
    services.user_update(
        actor=cast.administrator,
        user=cast.screener,
        first_name="S",
        last_name="S",
        email="",
        roles=["intake_screener"],
        unit=cast.unit,
        clearance_sensitive=True,
        clearance_sealed=True,
        approved_by=approving_administrator(),
    )
    cast.screener.refresh_from_db()
    sealed = make_report(cast.screener, access_restriction=Clearance.SEALED, restriction_reason="Court order")
    assert not sees(cast.supervisor, sealed)
    with pytest.raises(ValidationError):
        services.access_grant(
            actor=cast.screener,
            obj=sealed,
            grantee=cast.supervisor,
            action="view",
            expires_at=timezone.now() + timedelta(days=1),
            reason="Supervisor review of sealed report",
        )
    assert not sees(cast.supervisor, sealed)


def test_a_unit_grant_reaches_every_member_of_the_unit(cast, investigation):
    services.access_grant(
        actor=cast.supervisor,
        obj=investigation,
        grantee=cast.other_unit,
        action="view",
        expires_at=timezone.now() + timedelta(days=3),
        reason="Joint response with South",
    )
    assert sees(cast.other_worker, investigation)
    assert sees(cast.other_supervisor, investigation)


def test_only_someone_who_may_change_a_record_grants_access_to_it(cast, investigation):
    with pytest.raises(PermissionDenied):
        services.access_grant(
            actor=cast.program_manager,
            obj=investigation.report,
            grantee=cast.other_worker,
            action="view",
            expires_at=timezone.now() + timedelta(days=1),
            reason="x",
        )
    assert not AuditEvent.objects.filter(action="accounts.grant.granted").exists()


def test_a_grant_must_expire_within_the_limit_and_have_a_reason(cast, investigation):
    for expires_at, reason in [
        (timezone.now() - timedelta(minutes=1), "Too late"),
        (timezone.now() + timedelta(days=400), "Too long"),
        (timezone.now() + timedelta(days=1), " "),
    ]:
        with pytest.raises(ValidationError):
            services.access_grant(
                actor=cast.supervisor,
                obj=investigation,
                grantee=cast.other_worker,
                action="view",
                expires_at=expires_at,
                reason=reason,
            )


def test_revoking_a_grant_ends_access_and_is_audited(cast, investigation):
    grant = services.access_grant(
        actor=cast.supervisor,
        obj=investigation,
        grantee=cast.other_worker,
        action="change",
        expires_at=timezone.now() + timedelta(days=3),
        reason="Cover",
    )
    assert access.can_change(cast.other_worker, investigation)
    services.access_revoke(actor=cast.supervisor, grant=grant, reason="Back from leave")
    assert not sees(cast.other_worker, investigation)
    assert AuditEvent.objects.filter(action="accounts.grant.revoked", changes__reason_given=True, reason="").exists()


def test_guardian_prefetch_sees_only_unexpired_grants(cast):
    reports = [make_report(cast.screener) for _ in range(3)]
    for index, report in enumerate(reports):
        services.access_grant(
            actor=cast.screener,
            obj=report,
            grantee=cast.other_worker,
            action="view",
            expires_at=timezone.now() + timedelta(days=1),
            reason="Court liaison",
        )
        if index == 0:
            IntakeReportUserGrant.all_grants.filter(content_object=report).update(
                expires_at=timezone.now() - timedelta(minutes=1)
            )
    checker = ObjectPermissionChecker(cast.other_worker)
    checker.prefetch_perms(IntakeReport.objects.filter(pk__in=[r.pk for r in reports]))
    assert [checker.has_perm("view_intakereport", r) for r in reports] == [False, True, True]


def test_the_expiry_job_removes_expired_grants_once_each_with_an_audit_row(cast, investigation):
    services.access_grant(
        actor=cast.supervisor,
        obj=investigation,
        grantee=cast.other_worker,
        action="view",
        expires_at=timezone.now() + timedelta(hours=1),
        reason="Cover",
    )
    later = timezone.now() + timedelta(hours=2)
    assert services.grants_remove_expired(now=later) == 1
    assert services.grants_remove_expired(now=later) == 0
    assert AuditEvent.objects.filter(action="accounts.grant.expired", actor=None).count() == 1


def test_reassignment_moves_access_by_changing_one_row(cast, investigation):
    colleague = make_staff("colleague2", Role.CASEWORKER, unit=cast.unit, first_name="Lee", last_name="Roe")
    investigation_assign(actor=cast.supervisor, investigation=investigation, worker=colleague)
    assert sees(colleague, investigation)
    assert not sees(cast.worker, investigation)


def test_a_caseload_list_is_one_query_whatever_its_size(cast, django_assert_num_queries):
    for _ in range(3):
        make_investigation(cast.screener, worker=cast.worker)
    with django_assert_num_queries(1):
        assert len(list(access.visible(cast.worker, Investigation.objects.all()))) == 3
    for _ in range(5):
        make_investigation(cast.screener, worker=cast.worker)
    with django_assert_num_queries(1):
        assert len(list(access.visible(cast.worker, Investigation.objects.all()))) == 8


def test_inactive_users_see_nothing(cast, investigation):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left")
    cast.worker.refresh_from_db()
    assert not sees(cast.worker, investigation)


@pytest.mark.django_db(transaction=True)
def test_the_expiry_job_runs_in_a_celery_worker_over_redis(cast):
    """The beat task goes through the real broker to a real worker."""
    from celery.contrib.testing.worker import start_worker

    from accounts.tasks import remove_expired_grants
    from config.celery import app

    investigation = make_investigation(cast.screener, worker=cast.worker)
    grant = services.access_grant(
        actor=cast.supervisor,
        obj=investigation,
        grantee=cast.other_worker,
        action="view",
        expires_at=timezone.now() + timedelta(days=1),
        reason="Cover",
    )
    grant_model = type(grant)
    grant_model.all_grants.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert app.conf.broker_url.startswith("redis://"), "make test runs the broker on Redis"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        remove_expired_grants.delay()
        deadline = time.monotonic() + 20
        while grant_model.all_grants.filter(pk=grant.pk).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert not grant_model.all_grants.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.grant.expired").exists()


def test_the_django_admin_lists_case_records_through_the_policy(cast, client):
    """A superuser holds no role: the admin changelist of reports is empty, like every other list."""
    from accounts.models import User

    make_investigation(cast.screener, worker=cast.worker)
    User.objects.filter(pk=cast.administrator.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=cast.administrator.pk))
    for name in ("admin:cases_intakereport_changelist", "admin:investigations_investigation_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


# Who supervises a record, and whom work may be assigned to


def staff_update(cast, user, *, roles: list[str], clearance_sensitive: bool = False):
    """Change a staff member's roles or clearance as an administrator does; the fresh account as it reads now."""
    from accounts.models import User

    services.user_update(
        actor=cast.administrator,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        roles=roles,
        unit=user.unit,
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=False,
        approved_by=approving_administrator(),
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def case(cast):
    from tests.factories import make_case

    return make_case(cast.supervisor, worker=cast.worker)


def test_the_unit_supervisor_supervises_its_records_and_takes_their_decisions(cast, case, investigation):
    for record in (case, investigation, investigation.report):
        assert access.supervises(cast.supervisor, record)
        assert access.may_supervise(cast.supervisor, record)
        access.require_supervising(cast.supervisor, record)
    assert (
        access.get_for_supervising(cast.supervisor, Investigation.objects.all(), pk=investigation.pk) == investigation
    )
    assert access.supervises_unit(cast.supervisor, cast.unit)
    assert access.supervises_a_unit(cast.supervisor)
    assert list(access.supervising_units(cast.supervisor)) == [cast.unit]
    assert list(access.overseen_units(cast.supervisor)) == [cast.unit]


def test_another_units_supervisor_supervises_none_of_them(cast, case, investigation):
    for record in (case, investigation, investigation.report):
        assert not access.supervises(cast.other_supervisor, record)
        with pytest.raises(PermissionDenied):
            access.require_supervising(cast.other_supervisor, record)
    assert not access.supervises_unit(cast.other_supervisor, cast.unit)
    assert access.supervises_unit(cast.other_supervisor, cast.other_unit)
    with pytest.raises(Http404):
        access.get_for_supervising(cast.other_supervisor, Investigation.objects.all(), pk=investigation.pk)


def test_a_supervisor_demoted_to_caseworker_supervises_nothing_though_the_unit_still_names_them(cast, case):
    demoted = staff_update(cast, cast.supervisor, roles=["caseworker"], clearance_sensitive=True)
    # Changing roles clears the naming (tested below); a naming left from before must give nothing.
    Unit.objects.filter(pk=cast.unit.pk).update(supervisor=demoted)
    cast.unit.refresh_from_db()
    assert cast.unit.supervisor == demoted
    assert not access.supervises(demoted, case)
    assert not access.supervises_unit(demoted, cast.unit)
    assert not access.supervises_a_unit(demoted)
    assert not access.supervising_units(demoted).exists()
    assert not access.overseen_units(demoted).exists()
    assert not access.has_capability(demoted, "read_dashboards")
    with pytest.raises(PermissionDenied):
        access.require_supervising(demoted, case)
    with pytest.raises(Http404):
        access.get_for_supervising(demoted, type(case).objects.all(), pk=case.pk)
    assert not sees(demoted, case), "the unit's records are no longer theirs to read"


def test_a_program_manager_reads_every_unit_but_supervises_none(cast, case, investigation):
    manager = cast.program_manager
    for record in (case, investigation):
        assert not access.supervises(manager, record)
        with pytest.raises(PermissionDenied):
            access.get_for_supervising(manager, type(record).objects.all(), pk=record.pk)
    assert not access.supervises_a_unit(manager)
    assert set(access.overseen_units(manager)) == {cast.unit, cast.other_unit}
    assert access.has_capability(manager, "read_dashboards")
    assert access.has_capability(manager, "read_across_units")
    assert not access.has_capability(cast.supervisor, "read_across_units")


def test_supervising_a_restricted_record_takes_the_clearance_too(cast):
    sensitive = make_investigation(cast.screener, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff")
    assert access.may_supervise(cast.supervisor, sensitive)
    uncleared = staff_update(cast, cast.supervisor, roles=["supervisor"])
    assert access.supervises(uncleared, sensitive), "the unit is still theirs"
    assert not access.may_supervise(uncleared, sensitive)
    with pytest.raises(Http404):
        access.get_for_supervising(uncleared, Investigation.objects.all(), pk=sensitive.pk)


def test_work_is_assigned_to_the_units_active_caseworkers_holding_the_clearance(cast):
    from accounts.models import User
    from accounts.roles import Role
    from tests.factories import make_staff

    cleared = make_staff("cleared-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    departed = make_staff("departed-worker", Role.CASEWORKER, unit=cast.unit)
    services.user_deactivate(actor=cast.administrator, user=departed, reason="Left")
    expected = {
        Clearance.NONE: {cast.worker, cleared},
        Clearance.SENSITIVE: {cleared},
        Clearance.SEALED: set(),
    }
    for restriction, workers in expected.items():
        assert set(access.assignable_workers(units=[cast.unit], restriction=restriction)) == workers
        for user in User.objects.all():
            assert access.may_be_assigned(user, unit=cast.unit, restriction=restriction) == (user in workers), user
    assert set(access.assignable_workers(units=[cast.other_unit])) == {cast.other_worker}
    assert set(access.assignable_workers(units=access.supervising_units(cast.supervisor))) == {cast.worker, cleared}
    assert set(access.caseworkers([cast.unit, cast.other_unit])) == {cast.worker, cleared, cast.other_worker}
    assert not access.may_be_assigned(cast.other_worker, unit=cast.unit)
    assert access.has_capability(cast.worker, "carry_caseload")
    assert not access.has_capability(cast.supervisor, "carry_caseload")


def test_losing_the_supervisor_role_clears_the_units_supervisor_and_says_so_in_the_audit_log(cast):
    demoted = staff_update(cast, cast.supervisor, roles=["caseworker"], clearance_sensitive=True)
    cast.unit.refresh_from_db()
    assert cast.unit.supervisor is None
    event = AuditEvent.objects.filter(action="accounts.unit.updated", target_id=str(cast.unit.public_id)).first()
    assert event.actor == cast.administrator
    assert event.changes == {"supervisor": {"old": demoted.display_name, "new": None}}
    assert "no longer holds the supervisor role" in event.reason
    cast.other_unit.refresh_from_db()
    assert cast.other_unit.supervisor == cast.other_supervisor, "other units keep their supervisor"


def test_keeping_the_supervisor_role_keeps_the_unit(cast):
    kept = staff_update(cast, cast.supervisor, roles=["supervisor"], clearance_sensitive=False)
    cast.unit.refresh_from_db()
    assert cast.unit.supervisor == kept
    assert (
        not AuditEvent.objects.filter(action="accounts.unit.updated", target_id=str(cast.unit.pk))
        .exclude(changes__supervisor__old=None)
        .exists()
    )


def _unit_record_urls(case, investigation) -> list[str]:
    person = investigation.report.allegations.first().victim
    return [
        reverse("case_detail", args=[case.public_id]),
        reverse("investigation_detail", args=[investigation.public_id]),
        reverse("intake_detail", args=[investigation.report.public_id]),
        reverse("person_detail", args=[person.public_id]),
        reverse("api_case_detail", args=[case.public_id]),
        reverse("api_investigation_detail", args=[investigation.public_id]),
        reverse("api_intake_report_detail", args=[investigation.report.public_id]),
        reverse("api_person_detail", args=[person.public_id]),
    ]


def test_a_demoted_supervisor_loses_the_units_records_at_once_on_pages_and_api(cast, case, investigation, client_for):
    urls = _unit_record_urls(case, investigation)
    web = client_for(cast.supervisor)
    assert [web.get(url).status_code for url in urls] == [200] * len(urls)
    staff_update(cast, cast.supervisor, roles=["caseworker"], clearance_sensitive=True)
    assert [web.get(url).status_code for url in urls] == [404] * len(urls)


def test_an_ended_case_assignment_ends_access_at_once_on_pages_and_api(cast, case, client_for):
    from cases.services import case_assign

    successor = make_staff("successor", Role.CASEWORKER, unit=cast.unit)
    urls = [reverse("case_detail", args=[case.public_id]), reverse("api_case_detail", args=[case.public_id])]
    web = client_for(cast.worker)
    assert [web.get(url).status_code for url in urls] == [200, 200]
    case_assign(actor=cast.supervisor, case=case, worker=successor)
    assert [web.get(url).status_code for url in urls] == [404, 404]
    assert not sees(cast.worker, case)


def test_the_audit_history_of_a_restricted_record_is_read_only_with_its_clearance(cast, client_for):
    set_sensitive_clearance(cast, cast.worker, True)
    sensitive = make_investigation(
        cast.screener, worker=cast.worker, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family"
    )
    ordinary = make_investigation(cast.screener, worker=cast.worker)
    pages = [
        reverse("audit_target", args=["investigations.investigation", sensitive.public_id]),
        reverse("audit_target", args=["cases.intakereport", sensitive.report.public_id]),
    ]
    uncleared = cast.auditor
    assert not access.audit_events(uncleared).filter(target_id=str(sensitive.public_id)).exists()
    assert not access.audit_events(uncleared).filter(target_id=str(sensitive.report.public_id)).exists()
    assert access.audit_events(uncleared).filter(target_id=str(ordinary.public_id)).exists()
    web = client_for(uncleared)
    for url in pages:
        assert sensitive.reference not in web.get(url).text and sensitive.report.reference not in web.get(url).text
    assert str(sensitive.public_id) not in web.get(reverse("audit_list")).text

    cleared = make_staff("cleared-auditor", Role.AUDITOR, clearance_sensitive=True)
    assert access.audit_events(cleared).filter(target_id=str(sensitive.public_id)).exists()
    assert access.audit_events(cleared).filter(target_id=str(sensitive.report.public_id)).exists()


def test_the_decisions_a_page_asks_once_are_the_policys_own_answers(cast, investigation):
    """`access.decisions` answers can_change, may_supervise and may_grant in fewer queries: never otherwise."""
    services.access_grant(
        actor=cast.supervisor,
        obj=investigation,
        grantee=cast.other_worker,
        action="change",
        expires_at=timezone.now() + timedelta(days=7),
        reason="Covering during leave",
    )
    for user in (cast.worker, cast.supervisor, cast.other_worker, cast.other_supervisor, cast.program_manager):
        decided = access.decisions(user, investigation)
        assert decided == access.RecordDecisions(
            can_change=access.can_change(user, investigation),
            may_supervise=access.may_supervise(user, investigation),
            may_grant=access.may_grant(user, investigation),
        ), user
    # A grantee changes the record but never passes access on.
    assert access.decisions(cast.other_worker, investigation) == access.RecordDecisions(
        can_change=True, may_supervise=False, may_grant=False
    )
