"""The permission matrix: one row per URL name, saying what each role gets on GET and on writes."""

from tests.matrix import investigation_rows
from tests.matrix.harness import (
    CASE_CHANGERS,
    GRANT_RECORDS,
    REPORT_CHANGE_PAGE,
    REPORT_CHANGERS,
    SIGN_IN,
    Accepted,
    Redirect,
    Row,
    allegation,
    assignment_body,
    audit_target,
    case,
    case_member,
    case_member_page,
    change_request,
    contact,
    drilldown,
    form,
    grant_of,
    granting,
    hidden,
    household,
    household_body,
    household_member,
    investigation,
    membership_body,
    no_body,
    notification,
    password_link,
    person,
    reason_body,
    report,
    report_section,
    restriction_body,
    row,
    staff_member,
    unit,
    writes,
)

MATRIX: dict[str, Row] = {
    # The sign-in form is the one public page; a signed-in user is sent home from it.
    "login": row(Redirect("home"), anonymous=200, post=writes(Redirect("home"), anonymous=Accepted(200))),
    # Django 5's LogoutView only accepts POST; it is not exempt from LoginRequiredMiddleware.
    "logout": row(405, anonymous=SIGN_IN, post=writes(Accepted(SIGN_IN), anonymous=SIGN_IN)),
    "home": row(200, anonymous=SIGN_IN),
    # Everyone's own notifications; marking read is POST only.
    "notification_list": row(200, anonymous=SIGN_IN),
    "notification_read": row(
        405, anonymous=SIGN_IN, post=writes(Accepted(Redirect("notification_list")), anonymous=SIGN_IN)
    ),
    "password_change": row(200, anonymous=SIGN_IN, post=form()),
    # The one-time code step of a sign-in: public, but without a password step just done it goes back to sign-in.
    "sign_in_code": row(Redirect("home"), anonymous=SIGN_IN, post=writes(Redirect("home"), anonymous=SIGN_IN)),
    # Everyone's own password confirmation and second factor.
    "reauthenticate": row(200, anonymous=SIGN_IN, post=form()),
    "second_factor": row(200, anonymous=SIGN_IN, post=form()),
    # The page a one-time link opens is public: the link's token, not a session, says whose password it sets.
    "password_set": row(200, kwargs=password_link, post=writes(Accepted(200))),
    # Staff and unit management: the manage_staff capability, administrators only.
    # Lists and create forms check the capability (403); object pages look the object up
    # through the policy, which answers 404 to anyone who may not see it.
    "staff_list": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_create": row(403, anonymous=SIGN_IN, administrator=200, post=form()),
    "staff_detail": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    **{
        name: row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member, post=form())
        for name in ("staff_edit", "staff_deactivate", "staff_reactivate")
    },
    # Resetting takes no form: it goes straight on to the temporary password.
    # Resetting a case reader's password asks a second administrator, for a reason: the form comes back without one.
    "staff_reset_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member, post=form()),
    "staff_temporary_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_approvals": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_approval": row(404, anonymous=SIGN_IN, administrator=200, kwargs=change_request, post=form()),
    "unit_list": row(403, anonymous=SIGN_IN, administrator=200),
    "unit_create": row(403, anonymous=SIGN_IN, administrator=200, post=form()),
    "unit_edit": row(404, anonymous=SIGN_IN, administrator=200, kwargs=unit, post=form()),
    # The audit log: the read_audit capability, administrators and auditors.
    "audit_list": row(403, anonymous=SIGN_IN, administrator=200, auditor=200),
    "audit_target": row(403, anonymous=SIGN_IN, administrator=200, auditor=200, kwargs=audit_target),
    # The API authenticates by session only, so DRF answers 403 (not 401) to anonymous callers.
    # PolicyPermission checks the capability before any object lookup or method dispatch:
    # 403 for a role without it, and only then 405 for a GET on a POST-only endpoint.
    "api_me": row(200, anonymous=403),
    "api_notification_list": row(200, anonymous=403),
    # Only its recipient finds the notification; for anyone else it does not exist.
    "api_notification_read": row(
        405, anonymous=403, kwargs=notification, post=writes(404, anonymous=403, caseworker=Accepted(200))
    ),
    "api_staff_list": row(403, administrator=200, post=writes(403, accept=("administrator",))),
    "api_staff_detail": row(
        403,
        administrator=200,
        kwargs=staff_member,
        put=writes(403, accept=("administrator",), answer=200),
        patch=writes(403, accept=("administrator",), answer=200),
    ),
    **{
        name: row(403, administrator=405, kwargs=staff_member, post=writes(403, accept=("administrator",)))
        for name in ("api_staff_deactivate", "api_staff_reactivate")
    },
    "api_staff_reset_password": row(
        403, administrator=405, kwargs=staff_member, post=writes(403, accept=("administrator",))
    ),
    "api_unit_list": row(403, administrator=200, post=writes(403, accept=("administrator",))),
    "api_unit_detail": row(
        403,
        administrator=200,
        kwargs=unit,
        put=writes(403, accept=("administrator",)),
        patch=writes(403, accept=("administrator",), answer=200),
    ),
    "api_change_request_list": row(403, administrator=200),
    "api_change_request_detail": row(403, administrator=200, kwargs=change_request),
    **{
        name: row(403, administrator=405, kwargs=change_request, post=writes(403, accept=("administrator",)))
        for name in ("api_change_request_approve", "api_change_request_refuse")
    },
    "api_audit_events": row(403, administrator=200, auditor=200),
    # People: searching needs a case role; recording needs record_people; records follow the policy
    # (the people on the reports one works, and their relatives); merging is a supervisor's.
    "person_search": row(200, anonymous=SIGN_IN, administrator=403),
    # Recording someone on no record: only a role reading every person could see them afterwards (the screener);
    # the others record people from a case's members page or a person's relationships.
    "person_create": row(403, anonymous=SIGN_IN, intake_screener=200, post=form()),
    "person_detail": row(200, anonymous=SIGN_IN, administrator=404, kwargs=person),
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=200,
            caseworker=200,
            supervisor=200,
            administrator=404,
            kwargs=person,
            post=form(),
        )
        for name in (
            "person_edit",
            "person_add_alias",
            "person_move",
            "person_icwa",
            "relationship_create",
            "relationship_record",
        )
    },
    # Merging checks the capability before it looks the person up.
    "person_merge": row(403, anonymous=SIGN_IN, supervisor=200, kwargs=person, other_unit_caseworker=403, post=form()),
    "api_person_list": row(
        200,
        anonymous=403,
        administrator=403,
        post=writes(403, accept=("intake_screener",)),
    ),
    "api_person_detail": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        patch=writes(403, accept=REPORT_CHANGERS, answer=200, administrator=404),
    ),
    "api_person_relationships": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        post=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    "api_person_merge": row(
        403,
        supervisor=405,
        kwargs=person,
        other_unit_caseworker=403,
        post=writes(403, accept=("supervisor",), other_unit_caseworker=403),
    ),
    # Households are changed from a person's page with POST only; the API reads and writes them through their people.
    # An empty form gets the person's page again, with the form's errors.
    **{
        name: row(
            405,
            anonymous=SIGN_IN,
            kwargs=person,
            body=body,
            post=writes(403, accept=REPORT_CHANGERS, answer=200, anonymous=SIGN_IN, administrator=404),
        )
        for name, body in (
            ("household_create", no_body),
            ("household_member_add", household_body),
            ("household_member_end", membership_body),
        )
    },
    "api_person_households": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        post=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    "api_household_members": row(
        405, anonymous=403, kwargs=household, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    "api_household_member_end": row(
        405, anonymous=403, kwargs=household_member, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    # Intake: the queue is for screeners, supervisors and cross-unit readers; a report follows the
    # policy (screeners all, the unit supervisor, the assigned investigator, managers and auditors read).
    "intake_queue": row(200, anonymous=SIGN_IN, caseworker=403, administrator=403),
    "intake_create": row(403, anonymous=SIGN_IN, intake_screener=200, post=form()),
    "intake_detail": row(200, anonymous=SIGN_IN, administrator=404, kwargs=report),
    "intake_edit_section": row(403, anonymous=SIGN_IN, kwargs=report_section, post=form(), **REPORT_CHANGE_PAGE),
    # The matrix's report is screened in already: submitting it again only says so, on the report's page.
    "intake_submit": row(
        405,
        anonymous=SIGN_IN,
        kwargs=report,
        post=writes(403, accept=REPORT_CHANGERS, answer=302, anonymous=SIGN_IN, administrator=404),
    ),
    "intake_decide": row(403, anonymous=SIGN_IN, intake_screener=200, administrator=404, kwargs=report, post=form()),
    "intake_review": row(403, anonymous=SIGN_IN, supervisor=200, administrator=404, kwargs=report, post=form()),
    "intake_priority": row(403, anonymous=SIGN_IN, kwargs=report, post=form(400), **REPORT_CHANGE_PAGE),
    "intake_amend": row(403, anonymous=SIGN_IN, kwargs=report, post=form(), **REPORT_CHANGE_PAGE),
    # An empty POST is a new draft report (201), the screener's to fill in.
    "api_intake_report_list": row(
        200, anonymous=403, caseworker=403, administrator=403, post=writes(403, accept=("intake_screener",), answer=201)
    ),
    "api_intake_report_detail": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=report,
        patch=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    **{
        name: row(
            200,
            anonymous=403,
            administrator=404,
            kwargs=report,
            post=writes(403, accept=REPORT_CHANGERS, administrator=404),
        )
        for name in ("api_intake_report_people", "api_intake_report_allegations")
    },
    # Screening is the screener's, approving and returning it the supervisor's; the rest any of the report's changers'.
    **{
        f"api_intake_report_{action}": row(
            405, anonymous=403, kwargs=report, post=writes(403, accept=changers, administrator=404)
        )
        for action, changers in (
            ("submit", REPORT_CHANGERS),
            ("screen_in", ("intake_screener",)),
            ("screen_out", ("intake_screener",)),
            ("approve_screen_out", ("supervisor",)),
            ("return", ("supervisor",)),
            ("priority", REPORT_CHANGERS),
            ("decide_downgrade", ("supervisor",)),
            ("amend", REPORT_CHANGERS),
        )
    },
    "api_intake_allegation_withdraw": row(
        405, anonymous=403, kwargs=allegation, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    # Ongoing cases: opening and bulk reassignment are a supervisor's; a case follows the policy
    # (assigned workers, the unit supervisor; managers and auditors read; screeners and the administrator
    # see none). Worker-level changes are 200 for the worker and supervisor, supervisor-level ones only for them.
    "case_open": row(403, anonymous=SIGN_IN, supervisor=200, post=form()),
    "cases_reassign": row(403, anonymous=SIGN_IN, supervisor=200, post=form()),
    # Every role reading cases searches them (a screener's list is empty); administrators manage staff, not cases.
    "case_list": row(200, anonymous=SIGN_IN, administrator=403),
    "case_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=case),
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=404,
            caseworker=200,
            supervisor=200,
            administrator=404,
            kwargs=kwargs,
            post=form(),
        )
        for name, kwargs in (
            ("case_member_add", case),
            ("case_member_record", case),
            ("case_request_closure", case),
            ("case_note_add", case),
            ("contact_create", case),
            ("case_member_end", case_member_page),
            ("case_member_care", case_member_page),
            ("contact_amend", contact),
            ("investigation_contact_create", investigation),
        )
    },
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=404,
            supervisor=200,
            administrator=404,
            kwargs=kwargs,
            post=form(),
        )
        for name, kwargs in (
            ("case_assign", case),
            ("case_review_closure", case),
            ("case_reopen", case),
            ("case_member_excuse", case_member_page),
            ("case_member_require", case_member_page),
        )
    },
    "contact_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=contact),
    "api_case_list": row(200, anonymous=403, administrator=403, post=writes(403, accept=("supervisor",))),
    "api_case_reassign_all": row(405, anonymous=403, administrator=403, post=writes(403, accept=("supervisor",))),
    **{
        name: row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=case)
        for name in ("api_case_detail", "api_case_assignments", "api_case_visit_status", "api_case_alerts")
    },
    **{
        name: row(
            200,
            anonymous=403,
            intake_screener=404,
            administrator=404,
            kwargs=case,
            post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
        )
        for name in ("api_case_members", "api_case_notes", "api_case_contacts")
    },
    # The supervisor-only actions check the role in the service, once the body is valid: hence their bodies.
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=case,
            body=body,
            post=writes(403, accept=changers, intake_screener=404, administrator=404),
        )
        for name, body, changers in (
            ("api_case_assign", assignment_body, ("supervisor",)),
            ("api_case_request_closure", no_body, CASE_CHANGERS),
            ("api_case_approve_closure", no_body, ("supervisor",)),
            ("api_case_return_closure", reason_body, ("supervisor",)),
            ("api_case_reopen", reason_body, ("supervisor",)),
            ("api_case_restriction", restriction_body, ("supervisor",)),
        )
    },
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=case_member,
            body=body,
            post=writes(403, accept=changers, answer=answer, intake_screener=404, administrator=404),
        )
        for name, body, changers, answer in (
            ("api_case_member_end", no_body, CASE_CHANGERS, 400),
            ("api_case_member_excuse", reason_body, ("supervisor",), 200),
            ("api_case_member_require_visits", reason_body, ("supervisor",), 200),
            ("api_case_member_care", no_body, CASE_CHANGERS, 400),
        )
    },
    "api_contact_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=contact),
    "api_contact_amend": row(
        405,
        anonymous=403,
        kwargs=contact,
        post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
    ),
    "api_contact_investigation_list": row(
        200,
        anonymous=403,
        intake_screener=404,
        administrator=404,
        kwargs=investigation,
        post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
    ),
    # Dashboards: "My work" is every case worker's own list; the unit dashboard and its drill-downs are for
    # supervisors (their units), program managers and auditors (all units); the administrator has none.
    "my_work": row(200, anonymous=SIGN_IN, administrator=403),
    "supervisor_dashboard": row(403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200),
    "dashboard_drilldown": row(
        403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200, kwargs=drilldown
    ),
    # The capability (work_cases) comes first; who reads which units the view decides itself, on GET.
    "api_dashboard": row(
        403,
        anonymous=403,
        supervisor=200,
        program_manager=200,
        auditor=200,
        post=writes(405, anonymous=403, administrator=403),
    ),
    "api_my_work": row(200, anonymous=403, administrator=403),
    "api_caseload_visit_status": row(200, anonymous=403, administrator=403),
    # The overdue-visit job's page: administrators run jobs (no case content on it); running it queues it.
    "visit_job_page": row(403, anonymous=SIGN_IN, administrator=200, post=form(Redirect("visit_job_page"))),
    # Investigations: the list needs a case role; the records themselves follow the access policy
    # (assigned worker, unit supervisor, program manager and auditor read; the administrator sees none).
    "investigation_list": row(200, anonymous=SIGN_IN, administrator=403),
    "investigation_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=investigation),
    # Assigning is the unit supervisor's: visible-but-not-changeable is 403, not visible is 404.
    "investigation_assign": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=404,
        supervisor=200,
        administrator=404,
        kwargs=investigation,
        post=form(),
    ),
    "api_investigation_list": row(200, anonymous=403, administrator=403),
    "api_investigation_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=investigation),
    "api_investigation_assign": row(
        405,
        anonymous=403,
        kwargs=investigation,
        body=assignment_body,
        post=writes(403, accept=("supervisor",), intake_screener=404, administrator=404),
    ),
    # Explicit grants on a record: listed and given by whoever may change it by assignment, unit or role
    # (never by a grant); those who read it but may not grant get 403, those who may not see it 404.
    # Revoking is POST only; the API refuses the administrator (no case role) before the method.
    **{
        f"{noun}_grants": row(403, anonymous=SIGN_IN, administrator=404, kwargs=kwargs, **granters, post=form())
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"{noun}_grant_revoke": row(
            405,
            anonymous=SIGN_IN,
            kwargs=grant_of(kwargs),
            post=writes(
                403, anonymous=SIGN_IN, administrator=404, accept=granting(granters), answer=404, **hidden(granters)
            ),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grants": row(
            403,
            anonymous=403,
            kwargs=kwargs,
            **granters,
            post=writes(403, accept=granting(granters), **hidden(granters)),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    # Whom a grant may go to, by name: for those who may grant; without a search (`q`) the answer is a 400.
    # GET only: every case role passes the API's capability check and is refused the method.
    **{
        f"api_{noun}_grant_candidates": row(
            403,
            anonymous=403,
            kwargs=kwargs,
            **{role: 400 if answer == 200 else answer for role, answer in granters.items()},
            post=writes(405, anonymous=403, administrator=403),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grant_revoke": row(
            405,
            anonymous=403,
            administrator=403,
            kwargs=grant_of(kwargs),
            post=writes(403, accept=granting(granters), answer=404, **hidden(granters)),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    # The OpenAPI schema documents endpoints and field names, not records: fine for any
    # signed-in user, but it maps the system's attack surface, so not for anonymous callers.
    "api_schema": row(200, anonymous=403),
    # The investigation's work, one module per concern.
    **investigation_rows.deadlines.ROWS,
    **investigation_rows.contacts.ROWS,
    **investigation_rows.assessments.ROWS,
    **investigation_rows.closure.ROWS,
}
