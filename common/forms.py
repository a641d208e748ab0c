from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def filter_status(form: forms.Form) -> int:
    """The status of a list page filtered by `form`: 400 when a field's value is refused (a date out of
    range, an overlong search), 200 otherwise; a mismatch between fields is only explained on the page."""
    return 400 if any(field != NON_FIELD_ERRORS for field in form.errors) else 200
