"""DRF support: the default permission, signed in, active, and allowed by the access policy.

List endpoints still filter through the policy's queryset in `get_queryset`
(DRF applies object permissions to detail views only).
"""

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
