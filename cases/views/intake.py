"""Intake pages. Thin: fetch through accounts.access, hand the typed values to a service, redirect after a save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import access
from accounts.audit import log_list_read
from cases import services
from cases.choices import OPEN_STATUSES, ParticipantRole, ReportStatus
from cases.forms.intake import (
    AddPersonForm,
    AllegationForm,
    AmendForm,
    DecisionForm,
    DowngradeDecisionForm,
    NewPersonForm,
    PersonSearchForm,
    PriorityForm,
    RemovePersonForm,
    ReportCreateForm,
    ReporterSectionForm,
    ReportSearchForm,
    ReportSectionForm,
    ReviewForm,
    WithdrawAllegationForm,
    field_label,
    initial_for,
)
from cases.models import IntakeReport
from cases.selectors import intake as selectors
from cases.selectors.history import prior_history
from common.drafts import draft_key
from common.drafts import redirect_after_save as _saved
from common.drafts import render_page as _page
from common.forms import add_service_errors
from common.versions import StaleVersion, refused_form
from families import selectors as people_selectors
from records.workflow import may

QUEUE_TABS = [
    ("", "Waiting"),
    (ReportStatus.DRAFT, "Drafts"),
    (ReportStatus.AWAITING_DECISION, "Awaiting decision"),
    (ReportStatus.RETURNED, "Returned"),
    (ReportStatus.AWAITING_APPROVAL, "Awaiting approval"),
    (selectors.DECIDED, "Screened in or out"),
    (selectors.EVERY, "All"),
]
SECTIONS = [("report", "Report"), ("reporter", "Reporter"), ("people", "People"), ("allegations", "Allegations")]


def _for_change(request, public_id) -> IntakeReport:
    return access.get_for_change(request.user, selectors.report_for_page(), public_id=public_id)


def _sentences(error: ValidationError) -> list[str]:
    """A service's errors as sentences for a message, each named by the report field it is about."""
    if not hasattr(error, "error_dict"):
        return error.messages
    sentences = []
    for name, texts in error.message_dict.items():
        known = name in {field.name for field in IntakeReport._meta.get_fields()}
        sentences += [f"{field_label(name)}: {text}" if known else text for text in texts]
    return sentences


@require_safe
def intake_queue(request):
    if not selectors.uses_intake_queue(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in selectors.QUEUE_VIEWS:
        status = ""
    search = ReportSearchForm(request.GET or None)
    words = search.cleaned_data["q"] if search.is_valid() else ""
    found = selectors.intake_queue(user=request.user, status=status, q=words)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    log_list_read(request.user, page, context="Intake queue")
    counts = selectors.queue_counts(user=request.user)
    tabs = [(value, label, counts[value or "waiting"]) for value, label in QUEUE_TABS]
    return render(
        request,
        "cases/intake_queue.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "searched": words,
            "tabs": tabs,
            "takes_reports": access.has_capability(request.user, "take_reports"),
            "approves": access.has_capability(request.user, "approve_screening"),
        },
    )


@require_http_methods(["GET", "POST"])
def intake_create(request):
    access.require_capability(request.user, "take_reports")
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ReportCreateForm(request.POST or None, initial={"received_at": now})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = f"{report.reference} started."
            key = draft_key(request, None, "intake", "create")
            return _saved(request, key, message, "intake_edit_section", report.public_id, "report")
    return _page(
        request, "cases/intake_create.html", {"form": form, "draft_key": draft_key(request, None, "intake", "create")}
    )


@require_safe
def intake_detail(request, public_id):
    report = access.get_for_view(request.user, selectors.report_for_page(), public_id=public_id)
    page = selectors.report_page(user=request.user, report=report)
    return _page(request, "cases/intake_detail.html", {"report": report, "page": page})


@require_http_methods(["GET", "POST"])
def intake_edit_section(request, public_id, section):
    editors = {
        "report": _edit_report,
        "reporter": _edit_reporter,
        "people": _edit_people,
        "allegations": _edit_allegations,
    }
    if section not in editors:
        raise Http404
    report = _for_change(request, public_id)
    if report.status not in OPEN_STATUSES:
        actions = selectors.report_actions(user=request.user, report=report, can_change=True)
        return _page(request, "cases/intake_closed.html", {"report": report, "actions": actions})
    return editors[section](request, report, section)


def _section_page(request, report: IntakeReport, section: str, context: dict):
    context.update(
        report=report, section=section, sections=SECTIONS, draft_key=draft_key(request, report, "intake", section)
    )
    return _page(request, f"cases/intake_edit_{section}.html", context)


def _after_save(request, report: IntakeReport, section: str):
    """ "Save and continue" opens the next section; "Save and close" the report's page."""
    names = [name for name, _ in SECTIONS]
    position = names.index(section)
    key, message = draft_key(request, report, "intake", section), f"{dict(SECTIONS)[section]} saved."
    if request.POST.get("then") == "next" and position + 1 < len(names):
        return _saved(request, key, message, "intake_edit_section", report.public_id, names[position + 1])
    return _saved(request, key, message, "intake_detail", report.public_id)


def _save_fields(request, report: IntakeReport, section: str, form_class):
    form = form_class(request.POST or None, initial=initial_for(form_class, report))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        expected_version = fields.pop("version")
        try:
            services.report_update(actor=request.user, report=report, expected_version=expected_version, **fields)
        except StaleVersion as error:
            report.refresh_from_db()
            form = refused_form(form_class, request.POST, initial=initial_for(form_class, report), error=error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return None, _after_save(request, report, section)
    return form, None


def _edit_report(request, report: IntakeReport, section: str):
    form, done = _save_fields(request, report, section, ReportSectionForm)
    return done or _section_page(request, report, section, {"form": form})


def _edit_reporter(request, report: IntakeReport, section: str):
    if not access.can_see_reporter(request.user, report):
        raise PermissionDenied
    form, done = _save_fields(request, report, section, ReporterSectionForm)
    if done:
        return done
    selectors.reporter_shown(user=request.user, report=report)
    return _section_page(request, report, section, {"form": form})


def _edit_people(request, report: IntakeReport, section: str):
    user = request.user
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    new_form = NewPersonForm(request.POST if request.POST.get("action") == "create" else None)
    matches = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            if new_form.is_valid():
                data = new_form.cleaned_data
                try:
                    services.report_add_new_person(
                        actor=user,
                        report=report,
                        role=data["role"],
                        confirmed_not_duplicate=data["confirmed_not_duplicate"],
                        **{name: data[name] for name in NewPersonForm.person_fields},
                    )
                except ValidationError as error:
                    if _is_possible_duplicate(error):
                        matches = people_selectors.likely_matches(
                            user=user,
                            first_name=data["first_name"],
                            last_name=data["last_name"],
                            birth_date=data["birth_date"],
                        )
                        new_form.add_error(
                            None,
                            "This may be someone already on record. Add them from the list below, "
                            "or create a new record if none of them is this person.",
                        )
                    else:
                        add_service_errors(new_form, error)
                else:
                    messages.success(request, f"{data['first_name']} {data['last_name']} added to the report.")
                    return redirect("intake_edit_section", report.public_id, section)
        elif action in ("add", "remove"):
            return _add_or_remove_person(request, report, section, action)
        else:
            return HttpResponseBadRequest("Unknown action.")
    show_reporter = access.can_see_reporter(user, report)
    participants = selectors.participants(report=report, show_reporter=show_reporter)
    if any(participant.role == ParticipantRole.REPORTER for participant in participants):
        selectors.reporter_shown(user=user, report=report)
    return _section_page(
        request,
        report,
        section,
        {
            "search": search,
            "query": query,
            "results": people_selectors.person_search(user=user, name=query) if query else [],
            "new_form": new_form,
            "matches": matches,
            "participants": participants,
            "roles": ParticipantRole.choices,
            "chosen_role": new_form.data.get("role", "") if new_form.is_bound else "",
        },
    )


def _is_possible_duplicate(error: ValidationError) -> bool:
    """families.services.person_create names likely matches under `confirmed_not_duplicate`."""
    if getattr(error, "code", None) == "possible_duplicate":
        return True
    return hasattr(error, "error_dict") and "confirmed_not_duplicate" in error.error_dict


def _add_or_remove_person(request, report: IntakeReport, section: str, action: str):
    form = (AddPersonForm if action == "add" else RemovePersonForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the person's role on the report.")
        return redirect("intake_edit_section", report.public_id, section)
    data = form.cleaned_data
    try:
        if action == "add":
            person = people_selectors.people(request.user).filter(public_id=data["person"]).first()
            if person is None:
                raise Http404
            services.report_add_person(actor=request.user, report=report, person=person, role=data["role"])
            messages.success(request, f"{person.full_name} added to the report.")
        else:
            participant = report.participants.filter(person__public_id=data["person"], role=data["role"]).first()
            if participant is None:
                raise Http404
            services.report_remove_person(actor=request.user, report=report, participant=participant)
            messages.success(request, f"{participant.person.full_name} removed from the report.")
    except ValidationError as error:
        for sentence in _sentences(error):
            messages.error(request, sentence)
    return redirect("intake_edit_section", report.public_id, section)


def _edit_allegations(request, report: IntakeReport, section: str):
    user = request.user
    # People named only as the reporter are not offered: their identity stays out of this list.
    on_report = {}
    for participant in selectors.participants(report=report, show_reporter=False):
        on_report.setdefault(participant.person.public_id, participant.person)
    action = request.POST.get("action")
    add_form = AllegationForm(request.POST if action == "add" else None, people=on_report.values())
    withdraw_form = WithdrawAllegationForm(request.POST if action == "withdraw" else None)
    if request.method == "POST":
        if action == "add" and add_form.is_valid():
            data = add_form.cleaned_data
            try:
                services.allegation_add(
                    actor=user,
                    report=report,
                    victim=_person_on_report(on_report, data["victim"]),
                    perpetrator=_person_on_report(on_report, data["perpetrator"]) if data["perpetrator"] else None,
                    maltreatment_type=data["maltreatment_type"],
                )
            except ValidationError as error:
                add_service_errors(add_form, error)
            else:
                messages.success(request, "Allegation added.")
                return redirect("intake_edit_section", report.public_id, section)
        elif action == "withdraw" and withdraw_form.is_valid():
            allegation = report.allegations.filter(public_id=withdraw_form.cleaned_data["allegation"]).first()
            if allegation is None:
                raise Http404
            try:
                services.allegation_withdraw(
                    actor=user, allegation=allegation, reason=withdraw_form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(withdraw_form, error)
            else:
                messages.success(request, "Allegation withdrawn.")
                return redirect("intake_edit_section", report.public_id, section)
        elif action not in ("add", "withdraw"):
            return HttpResponseBadRequest("Unknown action.")
    return _section_page(
        request,
        report,
        section,
        {
            "add_form": add_form,
            "withdraw_form": withdraw_form,
            "withdrawing": str(withdraw_form["allegation"].value() or ""),
            "allegations": selectors.allegations(report=report),
            "has_people": bool(on_report),
        },
    )


def _person_on_report(on_report: dict, public_id: str):
    for key, person in on_report.items():
        if str(key) == public_id:
            return person
    raise Http404


@require_POST
def intake_submit(request, public_id):
    report = _for_change(request, public_id)
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, "The report was not submitted. " + " ".join(_sentences(error)))
    else:
        messages.success(request, f"{report.reference} awaits a screening decision.")
    return redirect("intake_detail", report.public_id)


@require_http_methods(["GET", "POST"])
def intake_decide(request, public_id):
    report = _for_change(request, public_id)
    access.require_capability(request.user, "take_reports")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.SCREEN_IN:
                services.report_screen_in(
                    actor=request.user,
                    report=report,
                    response_priority=data["response_priority"],
                    notes=data["decision_notes"],
                )
            else:
                services.report_screen_out(
                    actor=request.user, report=report, reason=data["screen_out_reason"], notes=data["decision_notes"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "screened in" if data["decision"] == DecisionForm.SCREEN_IN else "sent to the supervisor"
            return _saved(
                request,
                draft_key(request, report, "intake", "decide"),
                f"{report.reference} {done}.",
                "intake_detail",
                report.public_id,
            )
    return _page(
        request,
        "cases/intake_decide.html",
        {
            "report": report,
            "form": form,
            "may_decide": may(report, "screen_in"),
            "allegations": selectors.allegations(report=report),
            "history": prior_history(user=request.user, report=report),
            "draft_key": draft_key(request, report, "intake", "decide"),
        },
    )


@require_http_methods(["GET", "POST"])
def intake_review(request, public_id):
    report = _for_change(request, public_id)
    access.require_capability(request.user, "approve_screening")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == ReviewForm.APPROVE:
                services.report_approve_screen_out(actor=request.user, report=report, comment=data["comment"])
                done = "The screen-out is approved."
            else:
                services.report_return(actor=request.user, report=report, comment=data["comment"])
                done = f"{report.reference} was returned to intake."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(
                request, draft_key(request, report, "intake", "review"), done, "intake_detail", report.public_id
            )
    return _page(
        request,
        "cases/intake_review.html",
        {
            "report": report,
            "form": form,
            "may_review": may(report, "approve_screen_out"),
            "allegations": selectors.allegations(report=report),
            "draft_key": draft_key(request, report, "intake", "review"),
        },
    )


@require_http_methods(["GET", "POST"])
def intake_priority(request, public_id):
    report = _for_change(request, public_id)
    approves = access.has_capability(request.user, "approve_screening")
    action = request.POST.get("action")
    change_form = PriorityForm(request.POST if action == "request" else None)
    decide_form = DowngradeDecisionForm(request.POST if action == "decide" else None)
    if request.method == "POST":
        try:
            if action == "request" and change_form.is_valid():
                data = change_form.cleaned_data
                report = services.report_change_priority(
                    actor=request.user,
                    report=report,
                    response_priority=data["response_priority"],
                    reason=data["reason"],
                )
                done = (
                    "The response priority was changed."
                    if report.response_priority == data["response_priority"]
                    else "The lower priority awaits the supervisor's approval."
                )
                return _saved(
                    request, draft_key(request, report, "intake", "priority"), done, "intake_detail", report.public_id
                )
            if action == "decide" and decide_form.is_valid():
                data = decide_form.cleaned_data
                approve = data["outcome"] == DowngradeDecisionForm.APPROVE
                services.report_decide_downgrade(
                    actor=request.user, report=report, approve=approve, comment=data["comment"]
                )
                done = "The lower priority applies now." if approve else "The downgrade was refused."
                return _saved(
                    request, draft_key(request, report, "intake", "downgrade"), done, "intake_detail", report.public_id
                )
            if action not in ("request", "decide"):
                return HttpResponseBadRequest("Unknown action.")
        except ValidationError as error:
            add_service_errors(change_form if action == "request" else decide_form, error)
    return _page(
        request,
        "cases/intake_priority.html",
        {
            "report": report,
            "change_form": change_form,
            "decide_form": decide_form,
            "may_request": report.status == ReportStatus.SCREENED_IN,
            "may_decide_downgrade": approves and bool(report.requested_priority),
            "draft_key": draft_key(request, report, "intake", "priority"),
            "downgrade_key": draft_key(request, report, "intake", "downgrade"),
        },
    )


@require_http_methods(["GET", "POST"])
def intake_amend(request, public_id):
    report = _for_change(request, public_id)
    fields = selectors.amendable_fields(user=request.user, report=report)
    form = AmendForm(request.POST or None, fields=fields)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_amend(
                actor=request.user, report=report, field=data["field"], value=data["value"], reason=data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(
                request,
                draft_key(request, report, "intake", "amend"),
                f"{field_label(data['field'])} amended.",
                "intake_detail",
                report.public_id,
            )
    return _page(
        request,
        "cases/intake_amend.html",
        {
            "report": report,
            "form": form,
            "may_amend": report.is_final,
            "draft_key": draft_key(request, report, "intake", "amend"),
        },
    )
