"""Pages and API to give, list and revoke explicit grants on a record (reports, investigations, cases).

Each record app adds them to its URLs with `page_urls` and `api_urls`, naming its model; everything else
is decided here and in the services: whoever may see the record but may not grant on it gets 403, whoever
may not see it 404.
"""

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access, selectors, services
from accounts.api_support import PolicyPermission
from accounts.audit import log_list_read
from accounts.forms import ReasonForm
from accounts.models import Unit, User
from common.api import text_as_in
from common.forms import add_service_errors
from common.input import SEARCH_MAX_CHARACTERS, validate_search

ACTIONS = [(access.VIEW, "View"), (access.CHANGE, "View and change")]


def _record_for_granting(user, model: type[models.Model], public_id) -> models.Model:
    """404 if the user may not see the record, 403 if they see it but may not grant access to it."""
    record = access.get_for_view(user, model._default_manager.all(), public_id=public_id)
    if not access.may_grant(user, record):
        raise PermissionDenied
    return record


def expires_at_end_of(day) -> datetime:
    """A grant "until" a day lasts through that day, in the agency's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class GranteeSearchForm(forms.Form):
    """Who to give access to, found by name or username (the page's GET form and the API's `q`)."""

    q = forms.CharField(
        label="Find a colleague",
        min_length=2,
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search],
        help_text="Their name or username, at least 2 characters.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def candidate_label(person: User) -> str:
    unit = person.unit.name if person.unit_id else "no unit"
    return f"{person.display_name} ({person.username}) · {person.role_labels} · {unit}"


class GrantForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.all(),
        to_field_name="public_id",
        required=False,
        widget=forms.RadioSelect,
        label="Colleague",
        help_text="One of the colleagues found, or a whole unit below.",
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), to_field_name="public_id", required=False, label="Or a whole unit"
    )
    action = forms.ChoiceField(choices=ACTIONS, initial=access.VIEW, label="Access")
    until = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"The last day of access; at most {services.MAX_GRANT_DAYS} days from now.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, candidates: Sequence[User] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.grant_units()
        person = self.fields["person"]
        # Only the people the search found are offered; whether the one chosen may have access is the service's
        # to say (any member of staff is looked up, so its refusal is the one shown).
        if candidates:
            person.widget.choices = [(str(member.public_id), candidate_label(member)) for member in candidates]
        else:
            person.widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("unit")):
            raise ValidationError("Grant access to one person or to one unit.")
        return data


def _search(params) -> tuple[GranteeSearchForm, str]:
    search = GranteeSearchForm(params if "q" in params else None)
    return search, search.cleaned_data["q"] if search.is_valid() else ""


def _grants_page(request, record, *, detail: str, noun: str, search, found, form, revoke_form=None, status=200):
    return render(
        request,
        "accounts/record_grants.html",
        {
            "record": record,
            "noun": noun,
            "detail_url": reverse(detail, args=[record.public_id]),
            "grants_url": reverse(f"{noun}_grants", args=[record.public_id]),
            "revoke_url_name": f"{noun}_grant_revoke",
            "grants": selectors.record_grants(record),
            "search": search,
            "found": found,
            "form": form,
            "revoke_form": revoke_form or ReasonForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def record_grants(request, public_id, *, model, detail: str, noun: str):
    """The grants on a record, and the form to give one: a person is found by a GET search (`q`, kept in the
    form's address so a refused grant shows the same choices again), or a unit is chosen."""
    record = _record_for_granting(request.user, model, public_id)
    search, query = _search(request.GET)
    found = selectors.grant_candidates(record, search=query, granting=request.user) if query else None
    if found:
        log_list_read(request.user, found.people, context="Access grants: colleague search")
    form = GrantForm(request.POST or None, candidates=found.people if found else [])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.access_grant(
                actor=request.user,
                obj=record,
                grantee=data["person"] or data["unit"],
                action=data["action"],
                expires_at=expires_at_end_of(data["until"]),
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, _on_form_fields(error))
        else:
            messages.success(request, "Access granted.")
            return redirect(request.path)
    return _grants_page(request, record, detail=detail, noun=noun, search=search, found=found, form=form)


def _on_form_fields(error: ValidationError) -> ValidationError:
    """The service names `expires_at` where the form asks for the last day (`until`)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {"until" if field == "expires_at" else field: errors for field, errors in error.message_dict.items()}
    )


@require_POST
def record_grant_revoke(request, public_id, grant_id: str, *, model, detail: str, noun: str):
    record = _record_for_granting(request.user, model, public_id)
    grant = selectors.record_grant(record, grant_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.access_revoke(actor=request.user, grant=grant, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Access revoked.")
            return redirect(reverse(f"{noun}_grants", args=[record.public_id]))
    return _grants_page(
        request,
        record,
        detail=detail,
        noun=noun,
        search=GranteeSearchForm(),
        found=None,
        form=GrantForm(),
        revoke_form=form,
        status=400,
    )


def page_urls(prefix: str, model: type[models.Model], *, noun: str, detail: str) -> list:
    """`<prefix>grants/` (list and give) and `<prefix>grants/<grant id>/revoke/`; `prefix` holds <uuid:public_id>."""
    options = {"model": model, "detail": detail, "noun": noun}
    return [
        path(prefix + "grants/", record_grants, options, name=f"{noun}_grants"),
        path(prefix + "grants/<str:grant_id>/revoke/", record_grant_revoke, options, name=f"{noun}_grant_revoke"),
    ]


# API


class GrantSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    person = serializers.SlugRelatedField(
        slug_field="public_id", queryset=User.objects.all(), required=False, write_only=True
    )
    unit = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Unit.objects.all(), required=False, write_only=True
    )
    grantee = serializers.CharField(read_only=True)
    grantee_kind = serializers.CharField(read_only=True)
    action = serializers.ChoiceField(choices=ACTIONS)
    expires_at = serializers.DateTimeField()
    granted_by = serializers.CharField(read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs):
        if bool(attrs.get("person")) == bool(attrs.get("unit")):
            raise serializers.ValidationError("Grant access to one person or to one unit.")
        return attrs


class RecordGrants(APIView):
    """The explicit grants on a record (GET), and a new one (POST): for those who may grant on it."""

    permission_classes = [PolicyPermission]
    required_capability = "work_cases"
    model: type[models.Model] | None = None

    @extend_schema(responses=GrantSerializer(many=True))
    def get(self, request, public_id):
        record = _record_for_granting(request.user, self.model, public_id)
        return Response(GrantSerializer(selectors.record_grants(record), many=True).data)

    @extend_schema(request=GrantSerializer, responses={201: GrantSerializer})
    def post(self, request, public_id):
        record = _record_for_granting(request.user, self.model, public_id)
        serializer = GrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        grant = services.access_grant(
            actor=request.user,
            obj=record,
            grantee=data.get("person") or data.get("unit"),
            action=data["action"],
            expires_at=data["expires_at"],
            reason=data["reason"],
        )
        return Response(GrantSerializer(selectors.grant_row(grant)).data, status=201)


class GranteeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    username = serializers.CharField(read_only=True)
    roles = serializers.CharField(source="role_labels", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)


class GranteeSearchSerializer(serializers.Serializer):
    q = text_as_in(GranteeSearchForm, "q", min_length=2, validators=[validate_search])


class RecordGrantCandidates(APIView):
    """Whom a grant on the record may go to, found by name or username: the page's search, for those who may
    grant on it. Give access by POSTing the chosen `id` as `person` to the record's grants."""

    permission_classes = [PolicyPermission]
    required_capability = "work_cases"
    model: type[models.Model] | None = None

    @extend_schema(
        parameters=[GranteeSearchSerializer],
        responses=inline_serializer(
            "GrantCandidates",
            {
                "people": GranteeSerializer(many=True),
                "more": serializers.BooleanField(help_text=f"More than {selectors.GRANT_CANDIDATES_SHOWN} matched."),
            },
        ),
    )
    def get(self, request, public_id):
        record = _record_for_granting(request.user, self.model, public_id)
        search = GranteeSearchSerializer(data=request.query_params)
        search.is_valid(raise_exception=True)
        found = selectors.grant_candidates(record, search=search.validated_data["q"], granting=request.user)
        log_list_read(request.user, found.people, context="API: access grants colleague search")
        return Response({"people": GranteeSerializer(found.people, many=True).data, "more": found.more})


class RecordGrantRevoke(APIView):
    permission_classes = [PolicyPermission]
    required_capability = "work_cases"
    model: type[models.Model] | None = None

    @extend_schema(
        request=inline_serializer("GrantRevokeReason", {"reason": serializers.CharField(max_length=2000)}),
        responses={204: None},
    )
    def post(self, request, public_id, grant_id: str):
        record = _record_for_granting(request.user, self.model, public_id)
        grant = selectors.record_grant(record, grant_id)
        reason = serializers.CharField(max_length=2000).run_validation(request.data.get("reason", ""))
        services.access_revoke(actor=request.user, grant=grant, reason=reason)
        return Response(status=204)


def api_urls(prefix: str, model: type[models.Model], *, noun: str) -> list:
    """`<prefix>grants/` (GET list, POST give), `<prefix>grants/candidates/?q=` (GET whom a grant may go to) and
    `<prefix>grants/<grant id>/revoke/` (POST with a reason)."""
    return [
        path(prefix + "grants/", RecordGrants.as_view(model=model), name=f"api_{noun}_grants"),
        path(
            prefix + "grants/candidates/",
            RecordGrantCandidates.as_view(model=model),
            name=f"api_{noun}_grant_candidates",
        ),
        path(
            prefix + "grants/<str:grant_id>/revoke/",
            RecordGrantRevoke.as_view(model=model),
            name=f"api_{noun}_grant_revoke",
        ),
    ]
