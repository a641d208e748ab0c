"""Case and contact pages. Thin: fetch through accounts.access, hand what was typed to a service, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access
from cases import services
from cases.choices import AssignmentRole, MemberRole
from cases.forms.casework import (
    AssignForm,
    CaseOpenForm,
    ClosureRequestForm,
    ClosureReviewForm,
    ContactAmendForm,
    ContactForm,
    MemberAddForm,
    MemberCareForm,
    MemberEndForm,
    MemberExcuseForm,
    MemberRecordForm,
    MemberRequireForm,
    NoteForm,
    ReasonForm,
    ReassignAllForm,
    amend_initial,
)
from cases.forms.intake import PersonSearchForm
from cases.models import Case
from cases.selectors import casework as selectors
from common.drafts import draft_key
from common.drafts import redirect_after_save as _saved
from common.drafts import render_page as _page
from common.forms import add_service_errors
from common.versions import StaleVersion, refused_form
from families import selectors as people_selectors
from records.workflow import may

CASE_OPEN_FIELDS = (
    "family_name",
    "opened_for",
    "source_report",
    "unit",
    "primary_worker",
    "secondary_worker",
    "access_restriction",
    "restriction_reason",
)


def _for_change(request, public_id) -> Case:
    return access.get_for_change(request.user, selectors.case_for_page(), public_id=public_id)


def _supervising(request, public_id) -> Case:
    """A case for a supervisor's decision: 404 if hidden, 403 if visible to someone who does not supervise it."""
    return access.get_for_supervising(request.user, selectors.case_for_page(), public_id=public_id)


def _require_supervisor(request) -> list:
    """The units the user supervises; 403 for anyone who supervises none."""
    units = list(access.supervising_units(request.user).order_by("name"))
    if not units:
        raise PermissionDenied
    return units


# The case


@require_http_methods(["GET", "POST"])
def case_open(request):
    user = request.user
    units = _require_supervisor(request)
    data = request.POST if request.method == "POST" else request.GET
    action = request.POST.get("action", "open")
    reports = selectors.source_reports(user)
    report_id = data.get("source_report") or data.get("report", "")
    report = next((report for report in reports if str(report.public_id) == report_id), None)
    query = data.get("q", "").strip()[:200]
    kwargs = {
        "user": user,
        "units": units,
        "workers": list(selectors.unit_caseworkers(user)),
        "reports": reports,
        "candidates": selectors.open_candidates(user=user, picked=data.getlist("members"), report=report, query=query),
        "roles": {name: value for name, value in data.items() if name.startswith("role-")},
    }
    key = draft_key(request, None, "case-open")
    if request.method == "POST" and action == "open":
        form = CaseOpenForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                case = services.case_open(actor=user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _saved(
                    request, key, f"{case.reference} opened: {case.family_name}.", "case_detail", case.public_id
                )
    else:
        # Searching or showing a report's people re-renders what was chosen so far, without error messages.
        initial = {name: data[name] for name in CASE_OPEN_FIELDS if name in data}
        initial.update(members=data.getlist("members"), source_report=str(report.public_id) if report else "")
        form = CaseOpenForm(initial=initial, **kwargs)
    rows = [
        (candidate, form.role_of(candidate), str(candidate.person.public_id) in form.picked())
        for candidate in form.candidates
    ]
    return _page(
        request,
        "cases/case_open.html",
        {
            "form": form,
            "rows": rows,
            "query": query,
            "report": report,
            "roles": MemberRole.choices,
            "draft_key": key,
        },
    )


@require_safe
def case_detail(request, public_id):
    case = access.get_for_view(request.user, selectors.case_for_page(), public_id=public_id)
    page = selectors.case_page(user=request.user, case=case, contacts_page=request.GET.get("contacts"))
    return _page(
        request,
        "cases/case_detail.html",
        {"case": case, "page": page, "note_form": NoteForm(), "note_key": draft_key(request, case, "note")},
    )


# Members


@require_http_methods(["GET", "POST"])
def case_member_add(request, public_id):
    user = request.user
    case = _for_change(request, public_id)
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = people_selectors.person_search(user=user, name=query) if query else []
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = people_selectors.people(user).filter(public_id=data["person"]).first()
        if person is None:
            form.add_error(None, "This person is not on record.")
        else:
            try:
                member = services.case_add_member(
                    actor=user, case=case, person=person, role=data["role"], started_on=data["started_on"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{person.full_name} joined the case ({member.get_role_display()}).")
                return redirect("case_detail", case.public_id)
    on_case = set(case.members.filter(ended_on__isnull=True).values_list("person_id", flat=True))
    return render(
        request,
        "cases/case_member_add.html",
        {
            "case": case,
            "search": search,
            "query": query,
            "results": [(person, person.pk in on_case) for person in results],
            "form": form,
            "tried": str(form["person"].value() or ""),
            "roles": MemberRole.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def case_member_record(request, public_id):
    """Someone not on record yet, recorded and put on the case: both or neither."""
    case = _for_change(request, public_id)
    form = MemberRecordForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            member = services.case_add_new_member(
                actor=request.user, case=case, **form.member_arguments(), **form.recording_arguments()
            )
        except ValidationError as error:
            matches = form.refused(error, user=request.user)
        else:
            messages.success(
                request, f"{member.person.full_name} was recorded and joined the case ({member.get_role_display()})."
            )
            return redirect("case_detail", case.public_id)
    return render(request, "cases/case_member_record.html", {"case": case, "form": form, "matches": matches})


@require_http_methods(["GET", "POST"])
def case_member_end(request, public_id, member_id):
    case = _for_change(request, public_id)
    member = selectors.member_of(case=case, public_id=member_id)
    form = MemberEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_end_member(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person.full_name} left the case.")
            return redirect("case_detail", case.public_id)
    return render(request, "cases/case_member_end.html", {"case": case, "member": member, "form": form})


def _care_on_record(case: Case, member) -> dict:
    return {
        "in_care_since": member.in_care_since,
        "in_care_until": member.in_care_until,
        "reason": member.in_care_note,
        "version": case.version,
    }


@require_http_methods(["GET", "POST"])
def case_member_care(request, public_id, member_id):
    case = _for_change(request, public_id)
    member = selectors.member_of(case=case, public_id=member_id)
    form = MemberCareForm(request.POST or None, initial=_care_on_record(case, member))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        expected_version = fields.pop("version")
        try:
            services.member_record_care(actor=request.user, member=member, expected_version=expected_version, **fields)
        except StaleVersion as error:
            member.refresh_from_db()
            form = refused_form(MemberCareForm, request.POST, initial=_care_on_record(case, member), error=error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person.full_name}'s out-of-home care is recorded.")
            return redirect("case_detail", case.public_id)
    return render(
        request,
        "cases/case_member_care.html",
        {"case": case, "member": member, "form": form, "is_child": member.role == MemberRole.CHILD},
    )


@require_http_methods(["GET", "POST"])
def case_member_excuse(request, public_id, member_id):
    case = _supervising(request, public_id)
    member = selectors.member_of(case=case, public_id=member_id)
    form = MemberExcuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_excuse(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person.full_name} is excused from the visit rule.")
            return redirect("case_detail", case.public_id)
    return render(
        request, "cases/case_member_excuse.html", {"case": case, "member": member, "form": form, "excuse": True}
    )


@require_http_methods(["GET", "POST"])
def case_member_require(request, public_id, member_id):
    case = _supervising(request, public_id)
    member = selectors.member_of(case=case, public_id=member_id)
    form = MemberRequireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_require_visits(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person.full_name} must be visited again.")
            return redirect("case_detail", case.public_id)
    return render(
        request, "cases/case_member_excuse.html", {"case": case, "member": member, "form": form, "excuse": False}
    )


# Workers


@require_http_methods(["GET", "POST"])
def case_assign(request, public_id):
    case = _supervising(request, public_id)
    workers = list(access.assignable_workers(units=[case.unit], restriction=case.access_restriction))
    form = AssignForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_assign(
                actor=request.user,
                case=case,
                worker=data["worker"],
                role=data["role"],
                revoke_grants=data["revoke_grants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            role = AssignmentRole(data["role"]).label.lower()
            done = f"{data['worker'].display_name} is now the {role}." if data["worker"] else f"No {role} any more."
            messages.success(request, done)
            return redirect("case_detail", case.public_id)
    current = list(case.assignments.filter(ended_at__isnull=True).select_related("worker"))
    return render(
        request,
        "cases/case_assign.html",
        {"case": case, "form": form, "current": current, "grants": selectors.grants_on(case)},
    )


@require_http_methods(["GET", "POST"])
def cases_reassign(request):
    _require_supervisor(request)
    user = request.user
    departing = selectors.workers_with_open_cases(user)
    workers = list(selectors.unit_caseworkers(user))
    # "Move cases" on a staff or dashboard row names the worker whose cases move.
    initial = {"from_worker": request.GET.get("from", "")}
    form = ReassignAllForm(request.POST or None, departing=departing, workers=workers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.cases_reassign_all(
                actor=user,
                from_worker=data["from_worker"],
                to_worker=data["to_worker"],
                revoke_grants=data["revoke_grants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            source, target = data["from_worker"].display_name, data["to_worker"].display_name
            if result.moved:
                plural = "case" if result.moved == 1 else "cases"
                messages.success(request, f"Moved {result.moved} open {plural} from {source} to {target}.")
            elif not (result.not_cleared or result.hidden):
                messages.info(request, f"{source} had no open cases in your unit; nothing moved.")
            if result.not_cleared or result.hidden:
                messages.warning(request, _not_moved_message(result, target))
            return redirect("cases_reassign")
    return render(request, "cases/case_reassign.html", {"form": form, "departing": departing})


def _not_moved_message(result: services.Reassignment, target: str) -> str:
    reasons = []
    if result.not_cleared:
        references = ", ".join(case.reference for case in result.not_cleared)
        reasons.append(f"{references} ({target} is not cleared for them)")
    if result.hidden:
        reasons.append(f"{result.hidden} restricted you are not cleared for (a cleared supervisor was told)")
    count = len(result.not_cleared) + result.hidden
    return f"{count} {'case was' if count == 1 else 'cases were'} not moved: {'; '.join(reasons)}."


# Closure, reopening, notes


@require_http_methods(["GET", "POST"])
def case_request_closure(request, public_id):
    case = _for_change(request, public_id)
    form = ClosureRequestForm(request.POST or None)
    key = draft_key(request, case, "closure")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_request_closure(
                actor=request.user, case=case, reason=data["closure_reason"], note=data["closure_note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, "Closure requested; your supervisor decides.", "case_detail", case.public_id)
    allowed = may(case, "request_closure") or form.is_bound
    return _page(
        request, "cases/case_closure_request.html", {"case": case, "form": form, "may": allowed, "draft_key": key}
    )


@require_http_methods(["GET", "POST"])
def case_review_closure(request, public_id):
    case = _supervising(request, public_id)
    form = ClosureReviewForm(request.POST or None)
    key = draft_key(request, case, "closure-review")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == ClosureReviewForm.APPROVE:
                services.case_approve_closure(actor=request.user, case=case, comment=data["comment"])
                done = f"{case.reference} is closed."
            else:
                services.case_return_closure(actor=request.user, case=case, comment=data["comment"])
                done = "Closure returned to the worker."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, done, "case_detail", case.public_id)
    allowed = may(case, "approve_closure") or form.is_bound
    return _page(
        request, "cases/case_closure_review.html", {"case": case, "form": form, "may": allowed, "draft_key": key}
    )


@require_http_methods(["GET", "POST"])
def case_reopen(request, public_id):
    case = _supervising(request, public_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why the case reopens"
    key = draft_key(request, case, "reopen")
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, f"{case.reference} is open again.", "case_detail", case.public_id)
    allowed = may(case, "reopen") or form.is_bound
    return _page(request, "cases/case_reopen.html", {"case": case, "form": form, "may": allowed, "draft_key": key})


@require_http_methods(["GET", "POST"])
def case_note_add(request, public_id):
    case = _for_change(request, public_id)
    form = NoteForm(request.POST or None)
    key = draft_key(request, case, "note")
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add_note(actor=request.user, case=case, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, "Note added.", "case_detail", case.public_id)
    return _page(request, "cases/case_note.html", {"case": case, "form": form, "draft_key": key})


# Contacts


def contact_form_page(request, *, record, seeable, preselect: list[str], back: str, save, next_url, part=None):
    """The one contact form, for a case or a higher record (an investigation).

    `save(**arguments)` records the contact through the record's service; `next_url(contact)` is the page
    shown once it is saved; `back` is the record's page. `part(data)` gives the higher record's own part of
    the form (a `ContactFormPart` bound to the POST data, or unbound on GET), saved with the same call.
    """
    key = draft_key(request, record, "contact")
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ContactForm(request.POST or None, seeable=seeable, initial={"occurred_at": now, "people_seen": preselect})
    extra = part(request.POST or None) if part else None
    if request.method == "POST" and all([form.is_valid(), extra.is_valid() if extra else True]):
        arguments = {**form.service_arguments(), **(extra.service_arguments() if extra else {})}
        try:
            contact = save(**arguments)
        except ValidationError as error:
            rest = extra.take_service_errors(error) if extra else error
            if rest is not None:
                add_service_errors(form, rest)
        else:
            if contact.safety_concerns.strip():
                messages.warning(request, "Your supervisor was alerted to the safety concerns.")
            return _saved(request, key, _seen_message(contact), next_url(contact))
    return _page(
        request,
        "cases/contact_create.html",
        {"record": record, "form": form, "part": extra, "rows": form.people_rows(), "back": back, "draft_key": key},
    )


def _seen_message(contact) -> str:
    names = ", ".join(person.full_name for person in contact.people_seen.all())
    kind = "Visit" if contact.counts_as_visit else f"{contact.get_contact_type_display()} contact"
    return f"{kind} recorded{f': {names} seen' if names else ''}."


@require_http_methods(["GET", "POST"])
def contact_create(request, public_id):
    case = _for_change(request, public_id)
    seeable = selectors.case_seeable(case=case)
    wanted = request.GET.get("member", "")
    preselect = [str(s.person.public_id) for s in seeable if s.member_public_id == wanted]

    def save(**arguments):
        return services.contact_record(actor=request.user, case=case, **arguments)

    case_url = reverse("case_detail", args=[case.public_id])
    return contact_form_page(
        request,
        record=case,
        seeable=seeable,
        preselect=preselect,
        back=case_url,
        save=save,
        next_url=lambda contact: case_url,
    )


@require_safe
def contact_detail(request, public_id):
    found = selectors.contact_for(user=request.user, public_id=public_id)
    page = selectors.contact_page(user=request.user, contact=found.contact, record=found.record)
    kind = found.kind
    extra = kind.detail_context(found.contact) if kind and kind.detail_context else {}
    return _page(
        request,
        "cases/contact_detail.html",
        {
            "contact": found.contact,
            "record": found.record,
            "page": page,
            "back": found.record_url,
            "detail_template": kind.detail_template if kind else "",
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_amend(request, public_id):
    found = selectors.contact_for(user=request.user, public_id=public_id, change=True)
    contact = found.contact
    field = request.POST.get("field") or request.GET.get("field", "")
    context = {"contact": contact, "record": found.record}
    if field not in services.CONTACT_AMENDABLE_FIELDS:
        return render(request, "cases/contact_amend.html", {**context, "fields": selectors.amendable_fields()})
    key = draft_key(request, contact, f"amend-{field}")
    form = ContactAmendForm(request.POST or None, field=field, initial=amend_initial(field, getattr(contact, field)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amend = services.contact_amend if found.kind is None else found.kind.amend
        try:
            amend(actor=request.user, contact=contact, field=field, value=data["value"], reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = selectors.amendable_label(field)
            return _saved(
                request, key, f"{label} corrected; the old value stays on record.", "contact_detail", contact.public_id
            )
    return _page(
        request,
        "cases/contact_amend.html",
        {**context, "form": form, "field": field, "label": selectors.amendable_label(field), "draft_key": key},
    )
