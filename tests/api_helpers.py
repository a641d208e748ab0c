"""Small checks and names shared by the API tests."""

from django.urls import reverse

from accounts.models import User

# A password nobody in the cast has, for tests that set or change one.
NEW_PASSWORD = "a-quiet-lantern-over-the-river"


def no_internal_ids(body) -> bool:
    """Public ids only: no key named pk/id holding an integer, anywhere."""
    if isinstance(body, dict):
        return all(
            not (key in ("pk", "id") and isinstance(value, int)) and no_internal_ids(value)
            for key, value in body.items()
        )
    if isinstance(body, list):
        return all(no_internal_ids(item) for item in body)
    return True


def staff_url(user: User, action: str | None = None) -> str:
    if action is None:
        return reverse("api_staff_detail", args=[user.public_id])
    return reverse(f"api_staff_{action}", args=[user.public_id])
