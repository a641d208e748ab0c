from django.db.models import QuerySet

from accounts import access
from investigations.models import Investigation


def investigations(*, user, status: str = "") -> QuerySet:
    """Investigations the user may see, the nearest response deadline first."""
    found = access.visible(user, Investigation.objects.all()).select_related("report", "unit", "assigned_worker")
    if status:
        found = found.filter(status=status)
    return found.order_by("response_due_at")
