"""JSON API of an investigation's deadlines: how each stands, and the supervisor's excuse of a child's."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from common.api import RecordAction, action, text_as_in
from investigations.choices import DeadlineKind, DeadlineState
from investigations.forms.deadlines import DeadlineExcuseForm
from investigations.models import ChildContactDeadline, Investigation
from investigations.selectors.deadlines import child_deadline_for, investigation_deadlines
from investigations.services.deadlines import child_deadline_excuse


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    state = serializers.ChoiceField(choices=DeadlineState.choices)
    due_at = serializers.DateTimeField(allow_null=True)
    met_at = serializers.DateTimeField(allow_null=True)
    child = serializers.UUIDField(source="child.public_id", allow_null=True, default=None)
    excused_reason = serializers.CharField()
    excused_by = serializers.UUIDField(source="excused_by.public_id", allow_null=True, default=None)
    excused_at = serializers.DateTimeField(allow_null=True)


class NearestDeadlineSerializer(serializers.Serializer):
    """An investigation's nearest open deadline, from `with_nearest_deadline` and `with_deadline_states`."""

    kind = serializers.ChoiceField(source="nearest_deadline_kind", choices=DeadlineKind.choices)
    due_at = serializers.DateTimeField(source="nearest_deadline_at")
    state = serializers.ChoiceField(source="nearest_deadline_state", choices=DeadlineState.choices)


class ExcuseSerializer(serializers.Serializer):
    reason = text_as_in(DeadlineExcuseForm, "reason")


def deadlines_body(investigation: Investigation, user) -> list:
    return DeadlineSerializer(investigation_deadlines(investigation, user=user), many=True).data


class InvestigationDeadlines(APIView):
    @extend_schema(summary="An investigation's deadlines and how each stands", responses=DeadlineSerializer(many=True))
    def get(self, request, public_id):
        investigation = access.get_for_view(request.user, Investigation.objects.all(), public_id=public_id)
        return Response(deadlines_body(investigation, request.user))


@action(ExcuseSerializer, "Excuse a child's first-contact deadline, with the reason (the unit's supervisor)")
class ChildDeadlineExcuse(RecordAction):
    shown_as = DeadlineSerializer(many=True)

    def post(self, request, public_id, person_id):
        return super().post(request, public_id)

    def fetch_record(self, request, public_id):
        return access.get_for_supervising(request.user, Investigation.objects.all(), public_id=public_id)

    def perform(self, request, investigation, data):
        try:
            deadline = child_deadline_for(investigation, self.kwargs["person_id"])
        except ChildContactDeadline.DoesNotExist:
            raise Http404 from None
        child_deadline_excuse(actor=request.user, deadline=deadline, reason=data["reason"])

    def show_record(self, request, investigation):
        return deadlines_body(investigation, request.user)
