"""`{% access_grants record "case" %}`: a record page's "Access grants" section, for those who may grant on it:
the grants with their revoke forms, and a link to the grants page where access is given."""

from django import template
from django.urls import reverse

from accounts import access, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def access_grants(context, record, noun: str, may_grant: bool | None = None) -> str:
    """`may_grant`: the policy's answer when the page asked it already (`access.decisions`)."""
    if not (access.may_grant(context["request"].user, record) if may_grant is None else may_grant):
        return ""
    # Rendered in the page's own context, as an inclusion tag is: a fresh RequestContext would run every
    # context processor (and its queries) a second time for this one section.
    section = context.new(
        {
            "record": record,
            "noun": noun,
            "grants": selectors.record_grants(record),
            "grants_url": reverse(f"{noun}_grants", args=[record.public_id]),
            "revoke_url_name": f"{noun}_grant_revoke",
            "csrf_token": context.get("csrf_token"),
        }
    )
    return context.template.engine.get_template("accounts/_grants.html").render(section)
