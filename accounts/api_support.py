"""DRF support: the default permission, signed in, active, and allowed by the access policy; and the
default pagination, which audits every list it pages.

List endpoints still filter through the policy's queryset in `get_queryset`
(DRF applies object permissions to detail views only).
"""

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import access
from accounts.audit import log_list_read


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


class AuditedPagination(PageNumberPagination):
    """The API's pagination (settings REST_FRAMEWORK): every list endpoint pages through it, and each page
    it answers is logged as one list read naming the records on it (`accounts.audit.log_list_read`)."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        if page is not None:
            # Named by the view, not the path: a path can hold the id of a record the log's readers may not see.
            log_list_read(request.user, self.page, context=f"API: {view.get_view_name() if view else 'a list'}")
        return page
