"""JSON API for the agency's holidays (administrators): list, add, read and remove one by its date."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response

from common.api import validated_data
from records import selectors, services
from records.models import Holiday


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        # The service says a date is taken, in the page's words.
        extra_kwargs = {"date": {"validators": []}}


@extend_schema_view(
    get=extend_schema(summary="The agency's holidays, skipped by working-day deadlines"),
    post=extend_schema(summary="Add a holiday (an administrator)"),
)
class HolidayList(generics.ListCreateAPIView):
    required_capability = "manage_holidays"
    serializer_class = HolidaySerializer

    def get_queryset(self):
        return selectors.holidays()

    def create(self, request, *args, **kwargs):
        holiday = services.holiday_add(actor=request.user, **validated_data(HolidaySerializer, request))
        return Response(HolidaySerializer(holiday).data, status=201)


@extend_schema_view(
    get=extend_schema(summary="One holiday, by its date (YYYY-MM-DD)"),
    delete=extend_schema(summary="Remove a holiday (an administrator)"),
)
class HolidayDetail(generics.RetrieveDestroyAPIView):
    required_capability = "manage_holidays"
    serializer_class = HolidaySerializer

    def get_object(self):
        return selectors.holiday_on(self.kwargs["day"])

    def perform_destroy(self, instance):
        services.holiday_remove(actor=self.request.user, holiday=instance)
