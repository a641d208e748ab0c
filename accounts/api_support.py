"""DRF support: the default permission and error handling.

The default permission: signed in, active, and allowed by the access policy.

List endpoints still filter through the policy's queryset in `get_queryset`
(DRF applies object permissions to detail views only).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import access


class PolicyPermission(BasePermission):
    message = "You do not have permission to do this."

    def has_permission(self, request, view) -> bool:
        if not access.is_active_user(request.user):
            return False
        capability = getattr(view, "required_capability", None)
        return capability is None or access.has_capability(request.user, capability)

    def has_object_permission(self, request, view, obj) -> bool:
        if getattr(obj, "access_rules", None) is None:
            return True
        if request.method in SAFE_METHODS:
            return access.can_view(request.user, obj)
        return access.can_change(request.user, obj)


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with field errors."""
    # Imported here: rest_framework.views imports the permission classes from this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
