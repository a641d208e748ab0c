"""`{% access_grants record "case" %}`: a record page's "Access grants" section, for those who may grant on it:
the grants with their revoke forms, and a link to the grants page where access is given."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import access, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def access_grants(context, record, noun: str) -> str:
    request = context["request"]
    if not access.may_grant(request.user, record):
        return ""
    return render_to_string(
        "accounts/_grants.html",
        {
            "record": record,
            "noun": noun,
            "grants": selectors.record_grants(record),
            "grants_url": reverse(f"{noun}_grants", args=[record.public_id]),
            "revoke_url_name": f"{noun}_grant_revoke",
        },
        request=request,
    )
