"""`{% record_title record url %}`: a listed record named as `accounts.naming` names it, its reference a link.

Lists show only records their viewer may see, so the name is given in full; fetch the rows with
`naming.with_titles` so it costs no query per row."""

from django import template

from accounts import naming

register = template.Library()


@register.inclusion_tag("common/record_title.html")
def record_title(record, url: str = "") -> dict:
    return {"title": naming.record_title(record), "url": url}
