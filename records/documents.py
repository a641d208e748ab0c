"""Documents (family service plans, letters, court reports): one template gives the page and the PDF.

A document's template extends `records/document_base.html`, which carries the agency's letterhead,
the title, the "Confidential" marking and the US Letter print styles with "Page N of M" in the
footer, and fills its `content` block. WeasyPrint lays the PDF out from the very HTML the page
shows. It reaches no network while doing so: `LocalFetcher` reads our own static files from disk,
decodes data: URLs, and refuses every other address.
"""

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from accounts.audit import log_list_read

# What a document's relative addresses (`{% static %}` gives "/static/...") resolve against: a
# reserved name (RFC 2606) that no resolver answers; `LocalFetcher` reads those files from disk.
BASE_URL = "https://document.invalid/"


class ResourceRefused(ValueError):
    """A document asked for something other than one of our static files or a data: URL."""


@dataclass(frozen=True)
class Letterhead:
    agency: str
    address: str
    phone: str


@dataclass(frozen=True)
class Document:
    title: str
    html: str

    def pdf(self) -> bytes:
        return HTML(string=self.html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf()


class LocalFetcher(URLFetcher):
    """WeasyPrint's fetcher for documents: our static files and data: URLs, nothing else.

    A refused or missing resource stops the rendering, so a template that reaches out fails in its
    tests instead of printing a document without its styles.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["data"], allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        path = static_file(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_file(url: str) -> Path:
    """The file on disk behind one of our static URLs, as the page's `{% static %}` wrote it."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    parts = urlsplit(url)
    address = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if not address.startswith(prefix):
        raise ResourceRefused(f"A document may use only Kindred's static files and data: URLs, not {url}")
    name = unquote(address.removeprefix(prefix))
    try:
        # The source files in development; collectstatic's copies (hashed names) in production.
        found = finders.find(name)
        if found is None and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
    except SuspiciousFileOperation:
        found = None
    if found is None or not Path(found).is_file():
        raise ResourceRefused(f"No static file {name!r} for a document")
    return Path(found)


def letterhead() -> Letterhead:
    return Letterhead(
        agency=settings.KINDRED_AGENCY_NAME,
        address=settings.KINDRED_AGENCY_ADDRESS,
        phone=settings.KINDRED_AGENCY_PHONE,
    )


def render_document(*, template: str, context: dict, title: str) -> Document:
    """The document's HTML from a template extending `records/document_base.html`; its PDF on demand."""
    html = render_to_string(template, {**context, "document_title": title, "letterhead": letterhead()})
    return Document(title=title, html=html)


def pdf_download(document: Document, *, user, shows: Iterable[models.Model], filename: str = "") -> HttpResponse:
    """The document's PDF as a file to save (named after its title unless told), kept by no cache.

    A download is a read: it writes one audit row naming the records the document shows (`shows`: the
    plan, the report, the people it names), as every list does (`accounts.audit.log_list_read`)."""
    log_list_read(user, list(shows), context="PDF download")
    name = filename or f"{slugify(document.title) or 'document'}.pdf"
    response = HttpResponse(document.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"
    return response
