"""DRF support with no domain: reading a request's body, answering a service's ValidationError, actions on a record,
and versioned updates (ETag, If-Match)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from common.versions import StaleVersion


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
    # POST an action on one record: fetch it (`fetch_record` asks the access policy: 404 if the caller
    # may not see it, 403 if they may not change it), check the body against `payload`, `perform` the
    # action through a service, and answer with the record as it now is (`show_record`, described in
    # the schema by `shown_as`). Declare each action with `@action(payload, summary)`.
    # A comment, not a docstring: drf-spectacular would publish a docstring as every action's description.

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


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record changed since the version named by If-Match."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The record changed since the version named by the body's version."
    default_code = "conflict"


def version_field() -> serializers.IntegerField:
    """A record's `version`: shown on every read; sent back on an update, it must still be current (else 409)."""
    return serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The record's version, also its ETag. Send it back (or send If-Match) to update only that "
        "version: a stale one is refused with 409 (412 for If-Match).",
    )


def _if_match(request) -> int | None:
    header = request.headers.get("If-Match", "").strip()
    if header in ("", "*"):
        return None
    tag = header.removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise PreconditionFailed("If-Match names no version of this record: send the ETag of your last read.")
    return int(tag)


def versioned_update(request, update, **data):
    """`update(expected_version=..., **data)` with the version the client read: If-Match when sent (a stale
    one answers 412 Precondition Failed), else the body's `version` (409 Conflict), else none (no check)."""
    header, body_version = _if_match(request), data.pop("version", None)
    try:
        return update(expected_version=header if header is not None else body_version, **data)
    except StaleVersion as error:
        raise (PreconditionFailed if header is not None else Conflict)(error.messages[0]) from None


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = f'"{version}"'
    return response


ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200], description="The record's version, quoted."
)


class RefusedUpdateSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Who changed the record meanwhile, when, and which fields.")


def versioned_update_schema(serializer, summary: str):
    """The schema of an update that checks the version the client read."""
    return extend_schema(
        summary=summary,
        description="Clients should send If-Match with the ETag of their last read (or the body's `version`), so "
        "that an update made meanwhile by someone else is not overwritten. Without either the update is not checked.",
        request=serializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag of the client's last read of the record.",
            ),
            ETAG,
        ],
        responses={
            200: serializer,
            409: OpenApiResponse(
                RefusedUpdateSerializer,
                description="The body's version is not the record's current one: nothing saved.",
            ),
            412: OpenApiResponse(
                RefusedUpdateSerializer, description="If-Match is not the record's current ETag: nothing saved."
            ),
        },
    )
