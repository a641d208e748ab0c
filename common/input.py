"""Input no screen or API should accept: NUL characters, implausible dates, hidden characters in names,
absurd page numbers and search queries. No domain: the apps choose which field gets which rule."""

import json
import unicodedata
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import refuse_request

# The oldest person a record can plausibly be about, and so the earliest plausible date of their life.
PLAUSIBLE_YEARS = 120

# A page number past any list we hold; larger ones would overflow the database's OFFSET.
MAX_PAGE = 1_000_000

SEARCH_MAX_CHARACTERS = 200
SEARCH_MAX_WORDS = 10

NUL = "\x00"
NUL_REFUSED = "The request contains a NUL character (\\x00), which no field accepts."

# Bidirectional embeddings, overrides and isolates: they make a name read differently from what is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def earliest_plausible_date() -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - PLAUSIBLE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - PLAUSIBLE_YEARS, day=28)


def past_date_problem(value: date | None, *, what: str) -> str | None:
    """Why `value` is not a date that has happened within the last PLAUSIBLE_YEARS years (None when it is):
    `what` names the date in the message, e.g. "The date of birth"."""
    if value is None:
        return None
    if value > timezone.localdate():
        return f"{what} cannot be in the future."
    if value < earliest_plausible_date():
        return f"{what} cannot be more than {PLAUSIBLE_YEARS} years ago."
    return None


def validate_filter_date(value: date | None) -> None:
    """A date to filter records by: from PLAUSIBLE_YEARS years ago to a year from today."""
    if value is None:
        return
    latest = timezone.localdate() + timedelta(days=366)
    if not earliest_plausible_date() <= value <= latest:
        raise ValidationError(
            f"Choose a date from {earliest_plausible_date():%Y-%m-%d} to {latest:%Y-%m-%d}.", code="out_of_range"
        )


def validate_name(value: str) -> None:
    """A person's name: no control characters (tabs, line breaks, NUL) and no bidirectional overrides."""
    if any(char in BIDI_CONTROLS or unicodedata.category(char) == "Cc" for char in value or ""):
        raise ValidationError(
            "A name cannot contain control characters or characters that change the text's direction.",
            code="hidden_characters",
        )


def search_terms(text: str | None) -> str:
    """A search query as typed, refused when too long or too many words to search quickly."""
    text = (text or "").strip()
    if len(text) > SEARCH_MAX_CHARACTERS:
        raise ValidationError(f"Search for at most {SEARCH_MAX_CHARACTERS} characters.", code="search_too_long")
    if len(text.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(f"Search for at most {SEARCH_MAX_WORDS} words.", code="search_too_many_words")
    return text


def validate_search(value: str) -> None:
    search_terms(value)


def page_number(raw) -> int:
    """The page asked for, between 1 and MAX_PAGE; anything unreadable is the first page."""
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _body_holds_nul(request) -> bool:
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(_holds_nul(key) or _holds_nul(values) for key, values in request.POST.lists())
    if content_type.endswith("json") and b"\\u0000" in request.body:
        try:
            return _holds_nul(json.loads(request.body))
        except ValueError:
            return False
    return NUL.encode() in request.body if content_type.startswith("text/") else False


class RefuseNulMiddleware:
    """Answers 400 to any request with a NUL character in its path, query or body.

    PostgreSQL cannot store NUL in text, so a NUL reaching a query or a save is a server error;
    no field of ours has a use for it, so it is refused once, here, before any view sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_query = any(_holds_nul(key) or _holds_nul(values) for key, values in request.GET.lists())
        if NUL in request.path or in_query or (request.method not in ("GET", "HEAD") and _body_holds_nul(request)):
            return refuse_request(request, NUL_REFUSED)
        return self.get_response(request)
