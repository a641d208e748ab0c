"""DRF support with no domain: reading a request's body, answering a service's ValidationError, actions on a record."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


def validated_data(serializer_class, request, **context) -> dict:
    """The request's body checked by the serializer (400 with its errors otherwise)."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def text_as_in(form_class, field: str, **options) -> serializers.CharField:
    """An API text field with the same maximum length as the page's form field: both refuse the same text."""
    return serializers.CharField(max_length=form_class.base_fields[field].max_length, **options)


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with field errors."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class RecordAction(APIView):
    """POST an action on one record: fetch it (`fetch_record` asks the access policy: 404 if the caller
    may not see it, 403 if they may not change it), check the body against `payload`, `perform` the
    action through a service, and answer with the record as it now is (`show_record`, described in
    the schema by `shown_as`). Declare each action with `@action(payload, summary)`."""

    payload = None
    shown_as = None

    def fetch_record(self, request, public_id):
        raise NotImplementedError

    def show_record(self, request, record) -> dict:
        raise NotImplementedError

    def perform(self, request, record, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, public_id):
        record = self.fetch_record(request, public_id)
        self.perform(request, record, validated_data(self.payload, request) if self.payload else {})
        return Response(self.show_record(request, record))


def action(payload, summary: str):
    """Declare a RecordAction: the serializer its body is checked with, and its summary in the schema."""

    def declare(view: type[RecordAction]) -> type[RecordAction]:
        view.payload = payload
        return extend_schema_view(post=extend_schema(summary=summary, request=payload, responses=view.shown_as))(view)

    return declare
