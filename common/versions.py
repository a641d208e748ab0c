"""No lost update: an edit names the version of the record it was made from, and is refused when that moved.

A record that can be edited by two people at once carries a `version` counter that its edit service
raises on every save. Pages send the version they were rendered with in a hidden field; API clients
send it as `If-Match` (the `ETag` of their last read) or as the body's `version`.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone


class StaleVersion(ValidationError):
    """The record changed since the editor read it; `current` is its version now."""

    def __init__(self, message: str, *, current: int):
        super().__init__(message, code="stale_version")
        self.current = current


def check_version(*, record, expected: int | None, noun: str, last_change: tuple[str, datetime, list[str]] | None):
    """Refuse an edit made from another version of `record` (call it on the locked row).

    `last_change` is who made the latest change, when, and the fields it touched (from the audit log),
    so the message can say what happened; None when nothing says.
    """
    if expected is None or expected == record.version:
        return
    message = f"Someone else changed {noun} since you opened it"
    if last_change is not None:
        who, when, fields = last_change
        message += f": {who} at {timezone.localtime(when):%H:%M on %d %b %Y}"
        if fields:
            message += f" ({', '.join(_label(record, field) for field in fields)})"
    raise StaleVersion(
        message + ". Your changes were not saved: check the values now on record and save again.",
        current=record.version,
    )


def _label(record, field: str) -> str:
    try:
        return str(record._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field.replace("_", " ")


class VersionField(forms.IntegerField):
    """The version a page was rendered with, sent back unchanged. Empty means no check (not offered)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)


def refused_form(form_class, data, *, initial: dict, error: StaleVersion, **kwargs) -> forms.Form:
    """The form again after a refused stale save: what was typed, the refusal, and the version now on record,
    so that saving again is a choice. `saved_now` lists the values on record that differ from what was typed."""
    data = data.copy()
    data["version"] = str(error.current)
    form = form_class(data, initial=initial, **kwargs)
    form.is_valid()
    form.add_error(None, error)
    form.saved_now = [
        (form[name].label, _shown(form.fields[name], initial.get(name)))
        for name in form.fields
        if name != "version" and name in initial and form.cleaned_data.get(name) != initial[name]
    ]
    return form


def _shown(field: forms.Field, value) -> str:
    choices = dict(getattr(field, "choices", ()))
    values = value if isinstance(value, list) else [value]
    shown = [str(choices.get(item, item)) for item in values if item not in (None, "")]
    return ", ".join(shown) or "(empty)"
