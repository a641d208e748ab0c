"""People pages. Thin: forms check the shape, services decide, accounts.access fetches every record."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access
from accounts.audit import log_list_read
from common.forms import add_service_errors
from common.versions import StaleVersion, refused_form
from families import selectors, services
from families.forms import (
    AddressForm,
    AliasForm,
    HouseholdAddMemberForm,
    HouseholdCreateForm,
    HouseholdLeaveForm,
    IcwaInquiryForm,
    MergeForm,
    PersonCreateForm,
    PersonEditForm,
    PersonSearchForm,
    RelationshipForm,
    RelativeRecordForm,
)
from families.models import Household, Person


def _search(request, *, leave_out: Person | None = None) -> tuple[PersonSearchForm, list[Person], bool]:
    """The search form of a page and its results; `searched` is False until criteria are given."""
    form = PersonSearchForm(request.GET or None)
    searched = form.is_bound and form.is_valid() and form.has_criteria()
    found = selectors.person_search(user=request.user, **form.criteria()) if searched else []
    if leave_out is not None:
        found = [person for person in found if person.pk != leave_out.pk]
    if searched:
        log_list_read(request.user, found, context="People search")
    return form, found, searched


def _person_to_change(request, public_id) -> Person:
    return access.get_for_change(request.user, Person.objects.all(), public_id=public_id)


@require_safe
def person_search(request):
    access.require_capability(request.user, "work_cases")
    form, results, searched = _search(request)
    return render(
        request,
        "families/person_search.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "can_record": services.may_record_alone(request.user),
            "records_people": access.has_capability(request.user, "record_people"),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    """Someone on no record: for the roles reading every person (others record people from a case or a person)."""
    if not services.may_record_alone(request.user):
        raise PermissionDenied
    form = PersonCreateForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create_alone(actor=request.user, **form.recording_arguments())
        except ValidationError as error:
            matches = form.refused(error, user=request.user)
        else:
            messages.success(request, f"{person.full_name} was recorded.")
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "families/person_create.html", {"form": form, "matches": matches})


@require_safe
def person_detail(request, public_id):
    person = access.get_for_view(
        request.user, Person.objects.select_related("icwa_asked_by", "merged_into"), public_id=public_id
    )
    if person.merged_into_id:
        survivor_visible = access.can_view(request.user, person.merged_into)
        return render(request, "families/person_merged.html", {"person": person, "survivor_visible": survivor_visible})
    return _person_page(request, person)


def _person_page(request, person: Person, *, bound: tuple[str, object, object] | None = None):
    """The person's page; `bound` is a household form that failed: (kind, household pk or None, form)."""
    page = selectors.person_page(user=request.user, person=person)
    households = selectors.households_for(request.user, person)
    context = {"person": person, "page": page, "households": households}
    if page.can_change:
        search, found, searched = _search(request, leave_out=person)
        candidates = selectors.people(request.user)

        def form_for(kind, household, make):
            if bound and bound[0] == kind and bound[1] == (household.pk if household else None):
                return bound[2]
            return make()

        context["household_create_form"] = form_for("create", None, HouseholdCreateForm)
        context["household_search"], context["household_searched"] = search, searched
        for household in households:
            household.add_form = form_for(
                "add",
                household,
                lambda household=household: HouseholdAddMemberForm(
                    initial={"household": household.public_id},
                    candidates=candidates,
                    found=found,
                    auto_id=f"id_add_{household.public_id.hex}_%s",
                ),
            )
            if household.person_membership:
                household.leave_form = form_for(
                    "leave",
                    household,
                    lambda household=household: HouseholdLeaveForm(
                        initial={"membership": household.person_membership.public_id},
                        auto_id=f"id_leave_{household.public_id.hex}_%s",
                    ),
                )
    return render(request, "families/person_detail.html", context)


@require_http_methods(["POST"])
def household_create(request, public_id):
    person = _person_to_change(request, public_id)
    form = HouseholdCreateForm(request.POST)
    if form.is_valid():
        try:
            household = services.household_create(actor=request.user, members=[person], **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{household.name} was started with {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return _person_page(request, person, bound=("create", None, form))


def _household_of(person: Person, public_id) -> Household:
    """One of the households the person lives in now; 404 for any other."""
    household = Household.objects.filter(
        public_id=public_id, memberships__person=person, memberships__ended_on__isnull=True
    ).first()
    if household is None:
        raise Http404
    return household


@require_http_methods(["POST"])
def household_member_add(request, public_id):
    person = _person_to_change(request, public_id)
    form = HouseholdAddMemberForm(request.POST, candidates=selectors.people(request.user), found=[])
    household = _household_of(person, _public_id_or_404(request.POST.get("household", "")))
    if form.is_valid():
        try:
            services.household_add_member(
                actor=request.user,
                household=household,
                person=form.cleaned_data["person"],
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['person'].full_name} joined {household.name}.")
            return redirect("person_detail", public_id=person.public_id)
    return _person_page(request, person, bound=("add", household.pk, form))


@require_http_methods(["POST"])
def household_member_end(request, public_id):
    person = _person_to_change(request, public_id)
    form = HouseholdLeaveForm(request.POST)
    membership = (
        person.household_memberships.filter(
            public_id=_public_id_or_404(request.POST.get("membership", "")), ended_on__isnull=True
        )
        .select_related("household")
        .first()
    )
    if membership is None:
        raise Http404
    if form.is_valid():
        try:
            services.household_end_member(
                actor=request.user,
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} left {membership.household.name}.")
            return redirect("person_detail", public_id=person.public_id)
    return _person_page(request, person, bound=("leave", membership.household_id, form))


@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    person = _person_to_change(request, public_id)
    form = PersonEditForm(request.POST or None, initial=PersonEditForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, expected_version=form.cleaned_data["version"], **form.person_fields()
            )
        except StaleVersion as error:
            person.refresh_from_db()
            form = refused_form(PersonEditForm, request.POST, initial=PersonEditForm.initial_for(person), error=error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {form.cleaned_data['first_name']} {form.cleaned_data['last_name']}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "families/person_edit.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def person_add_alias(request, public_id):
    person = _person_to_change(request, public_id)
    form = AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add_alias(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Other name added to {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(
        request,
        "families/person_change_form.html",
        {"form": form, "person": person, "title": "Add another name", "submit": "Add name"},
    )


@require_http_methods(["GET", "POST"])
def person_move(request, public_id):
    person = _person_to_change(request, public_id)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_move(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"New address recorded for {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(
        request,
        "families/person_change_form.html",
        {"form": form, "person": person, "title": "New address", "submit": "Record address"},
    )


@require_http_methods(["GET", "POST"])
def person_icwa(request, public_id):
    person = _person_to_change(request, public_id)
    initial = {"reason_to_know": person.icwa_reason_to_know or None}
    for row, affiliation in enumerate(person.tribal_affiliations.order_by("tribe")[:3], start=1):
        initial[f"tribe_{row}"], initial[f"enrollment_{row}"] = affiliation.tribe, affiliation.enrollment_status
    form = IcwaInquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_icwa_inquiry(
                actor=request.user,
                person=person,
                reason_to_know=form.cleaned_data["reason_to_know"],
                tribes=form.tribes(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"ICWA inquiry recorded for {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "families/person_icwa.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def relationship_create(request, public_id):
    person = _person_to_change(request, public_id)
    search, found, searched = _search(request, leave_out=person)
    form = RelationshipForm(
        request.POST or None,
        person=person,
        candidates=selectors.people(request.user).exclude(pk=person.pk),
        found=found,
    )
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.relationship_create(actor=request.user, **form.service_arguments(person))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            one, other = relationship.person, relationship.relative
            messages.success(
                request,
                f"Recorded: {one.full_name} is {relationship.label_from(one).lower()} {other.full_name}, "
                f"and {other.full_name} is {relationship.label_from(other).lower()} {one.full_name}.",
            )
            return redirect("person_detail", public_id=person.public_id)
    return render(
        request,
        "families/relationship_form.html",
        {"person": person, "search": search, "found": found, "searched": searched, "form": form},
    )


@require_http_methods(["GET", "POST"])
def relationship_record(request, public_id):
    """Someone not on record yet, recorded as the person's relative: both or neither."""
    person = _person_to_change(request, public_id)
    form = RelativeRecordForm(request.POST or None, person=person)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.relationship_create_with_new_relative(
                actor=request.user, person=person, **form.relationship_arguments(), **form.recording_arguments()
            )
        except ValidationError as error:
            matches = form.refused(error, user=request.user)
        else:
            relative = relationship.other(person)
            messages.success(
                request,
                f"{relative.full_name} was recorded: {person.full_name} is "
                f"{relationship.label_from(person).lower()} {relative.full_name}.",
            )
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "families/relationship_record.html", {"person": person, "form": form, "matches": matches})


def _public_id_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def person_merge(request, public_id):
    """Fold a duplicate into this record: find it, compare the two side by side, give the reason, confirm."""
    access.require_capability(request.user, "merge_people")
    survivor = _person_to_change(request, public_id)
    chosen = request.POST.get("duplicate") or request.GET.get("duplicate")
    if not chosen:
        search, found, searched = _search(request, leave_out=survivor)
        return render(
            request,
            "families/person_merge_search.html",
            {"survivor": survivor, "search": search, "found": found, "searched": searched},
        )
    merging = Person.objects.filter(merged_into__isnull=True)
    if request.method == "POST":
        duplicate = access.get_for_change(request.user, merging, public_id=_public_id_or_404(chosen))
    else:
        duplicate = access.get_for_view(request.user, merging, public_id=_public_id_or_404(chosen))
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(
                actor=request.user, survivor=survivor, duplicate=duplicate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The duplicate record was merged into {survivor.full_name}; every link now points here."
            )
            return redirect("person_detail", public_id=survivor.public_id)
    return render(
        request,
        "families/person_merge_confirm.html",
        {
            "survivor": selectors.person_page(user=request.user, person=survivor),
            "duplicate": selectors.person_page(user=request.user, person=duplicate),
            "form": form,
        },
    )
