"""The OpenAPI schema as the API answers: the errors every endpoint may give, and read-only fields as the
database holds them. The API fuzz test (tests/test_api_fuzz.py) holds every answer to this schema."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers

from common.api import RefusedUpdateSerializer


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")


# A 400 names the fields it refuses ({"field": ["message"], "non_field_errors": [...]}, nested for lists and
# objects), or gives a `detail` when the body could not be read at all.
FIELD_ERRORS = {
    "description": "The request was refused: the errors per field, or a `detail`.",
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {}}}},
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the answers it leaves out:

    - 400 on every write and every operation that reads query parameters (the serializer's field errors, or
      the service's refusal);
    - 403 everywhere: the policy refuses a role without the capability, a read-only role's write, and
      anyone not signed in;
    - 404 everywhere: a record the caller may not see answers as one that does not exist, and a list's
      page past the end is not found;
    - 409 on every write whose body names the version the client read (a stale one is refused);
    - a read-only field is null where its column is nullable, and blank where its choice may be blank.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        takes_input = self.method != "GET" or any(p["in"] == "query" for p in operation.get("parameters", []))
        if takes_input:
            responses.setdefault("400", FIELD_ERRORS)
        if self.method != "GET" and "version" in getattr(force_instance(self.get_request_serializer()), "fields", {}):
            stale = self.resolve_serializer(RefusedUpdateSerializer, "response")
            responses.setdefault(
                "409",
                {
                    "description": "The body's version is not the record's current one: nothing saved.",
                    "content": {"application/json": {"schema": stale.ref}},
                },
            )
        refused = self._error_detail()
        responses.setdefault("403", {"description": "Not signed in, or not allowed to do this.", **refused})
        responses.setdefault("404", {"description": "No such record, or one the caller may not see.", **refused})
        return operation

    def _error_detail(self) -> dict:
        component = self.resolve_serializer(ErrorDetailSerializer, "response")
        return {"content": {"application/json": {"schema": component.ref}}}

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        column = _model_column(field)
        if field.read_only and column is not None:
            field.allow_null = field.allow_null or column.null
            if isinstance(field, serializers.ChoiceField):
                field.allow_blank = field.allow_blank or column.blank
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_column(field):
    """The model field a serializer field reads straight from (`source` one attribute of the serializer's model)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
