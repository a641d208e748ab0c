"""JSON API for a case's members: who is on the case, joining (someone on record or someone new), leaving,
excuses from the visit rule and out-of-home care. Thin, as `casework.py`: the policy fetches, services decide."""

from functools import partial

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from cases import services
from cases.api.casework import (
    CaseMemberSerializer,
    CaseReasonSerializer,
    NewCaseMemberSerializer,
    case_for_change,
    case_for_view,
    members_by_status,
)
from cases.api.intake import PersonField
from cases.forms.casework import MemberCareForm, MemberEndForm, MemberExcuseForm
from cases.models import Case, CaseMember
from common.api import RecordAction, action, text_as_in, version_field, versioned_update
from common.api import validated_data as _valid
from families.api import (
    PersonCreateSerializer,
    PossibleDuplicatesResponse,
    one_person_of,
    person_arguments,
    possible_duplicates,
)


class CaseMemberAddSerializer(NewCaseMemberSerializer):
    person = PersonField(required=False, help_text="Someone on record, by id.")
    new_person = PersonCreateSerializer(
        required=False, help_text="Someone not on record yet, recorded as they join (instead of `person`)."
    )

    def validate(self, data):
        return one_person_of(data, existing="person", new="new_person")


class MemberEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = text_as_in(MemberEndForm, "reason")


class MemberExcuseSerializer(serializers.Serializer):
    reason = text_as_in(
        MemberExcuseForm, "reason", help_text="Why the member need not be seen, e.g. whereabouts unknown."
    )
    diligent_search_note = text_as_in(
        MemberExcuseForm, "diligent_search_note", required=False, allow_blank=True, default=""
    )


class MemberCareSerializer(serializers.Serializer):
    in_care_since = serializers.DateField(help_text="The day the child entered out-of-home care.")
    in_care_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The day the child left care; null while in care."
    )
    reason = text_as_in(MemberCareForm, "reason", required=False, allow_blank=True, default="")
    version = version_field()


def _member_for_change(request, public_id) -> CaseMember:
    case = access.get_for_change(request.user, Case.objects.select_related("unit"), members__public_id=public_id)
    member = CaseMember.objects.select_related("person").filter(case=case, public_id=public_id).first()
    if member is None:
        raise Http404
    member.case = case
    return member


def _member_body(request, member: CaseMember) -> dict:
    row = members_by_status().get(pk=member.pk)
    return CaseMemberSerializer(row, context={"request": request}).data


class CaseMembers(APIView):
    @extend_schema(summary="The case's members, past and present", responses=CaseMemberSerializer(many=True))
    def get(self, request, public_id):
        case = case_for_view(request, public_id)
        rows = members_by_status().filter(case=case)
        return Response(CaseMemberSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Add a member",
        description=(
            "Someone on record (`person`), or someone not on record yet (`new_person`), recorded as they join "
            "or not at all. When likely existing records are found for a new person, the answer is a 400 "
            "listing them, as recording a person answers; send again with new_person.confirmed_not_duplicate "
            "true if none of them is this person."
        ),
        request=CaseMemberAddSerializer,
        responses={201: CaseMemberSerializer, 400: PossibleDuplicatesResponse},
    )
    def post(self, request, public_id):
        case = case_for_change(request, public_id)
        data = _valid(CaseMemberAddSerializer, request)
        joining = {"role": data["role"], "started_on": data.get("started_on")}
        if "new_person" in data:
            person = person_arguments(data["new_person"])
            try:
                member = services.case_add_new_member(actor=request.user, case=case, **joining, **person)
            except ValidationError as error:
                return possible_duplicates(error, user=request.user, person=person, nested_in="new_person")
        else:
            member = services.case_add_member(actor=request.user, case=case, person=data["person"], **joining)
        return Response(_member_body(request, member), status=201)


class _MemberAction(RecordAction):
    fetch_record = staticmethod(_member_for_change)
    show_record = staticmethod(_member_body)
    shown_as = CaseMemberSerializer


@action(MemberEndSerializer, "End a person's membership of the case")
class CaseMemberEnd(_MemberAction):
    def perform(self, request, member, data):
        services.case_end_member(actor=request.user, member=member, ended_on=data["ended_on"], reason=data["reason"])


@action(MemberExcuseSerializer, "Excuse a member from the visit rule (a supervisor)")
class CaseMemberExcuse(_MemberAction):
    def perform(self, request, member, data):
        services.member_excuse(
            actor=request.user,
            member=member,
            reason=data["reason"],
            diligent_search_note=data["diligent_search_note"],
        )


@action(MemberCareSerializer, "Record a child's out-of-home care (for the federal monthly visit measure)")
class CaseMemberCare(_MemberAction):
    def perform(self, request, member, data):
        update = partial(services.member_record_care, actor=request.user, member=member)
        versioned_update(request, update, **data)


@action(CaseReasonSerializer, "Require visits of an excused member again (a supervisor)")
class CaseMemberRequireVisits(_MemberAction):
    def perform(self, request, member, data):
        services.member_require_visits(actor=request.user, member=member, reason=data["reason"])
