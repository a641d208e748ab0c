"""Drafts: what someone types into a long form stays in their browser until the server has saved it.

A form carries `data-draft-key` (`draft_key`), and `static/kindred/draft.js` keeps its text under
that key. After a save, the next page (`render_page`) carries `data-draft-saved` with the same key
(`templates/common/draft.html`), and the browser forgets its copy.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

# The key of the form whose save the next page confirms.
DRAFT_SAVED = "kindred_draft_saved"


def draft_key(request, record, form: str, *parts: str) -> str:
    """Names a form's kept text, `<form>:<user>:<record or new>[:<part>...]`: per user, so a shared
    browser never offers one person's text to another."""
    return ":".join([form, str(request.user.public_id), str(record.public_id) if record else "new", *parts])


def render_page(request, template: str, context: dict) -> HttpResponse:
    """A page that confirms the save just made, if one was."""
    context["draft_saved"] = request.session.pop(DRAFT_SAVED, "")
    return render(request, template, context)


def redirect_after_save(request, key: str, message: str, to: str, *args) -> HttpResponseRedirect:
    """After a save: say so, and have the next page confirm it so the browser forgets the draft."""
    request.session[DRAFT_SAVED] = key
    messages.success(request, message)
    return redirect(to, *args)
