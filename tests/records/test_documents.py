"""Documents: one template gives the page's HTML and a PDF with the letterhead, the marking and page numbers."""

import io
import socket

import pypdf
import pytest
from weasyprint.urls import FatalURLFetchingError

from accounts.models import AuditEvent
from records.documents import BASE_URL, LocalFetcher, ResourceRefused, pdf_download, render_document
from tests.factories import make_person

DOCUMENTS = {
    "letter.html": (
        '{% extends "records/document_base.html" %}'
        "{% block content %}<p>Dear {{ parent }},</p><p>{{ body }}</p>{% endblock %}"
    ),
    "long.html": (
        '{% extends "records/document_base.html" %}'
        "{% block content %}{% for goal in goals %}<h2>Goal {{ goal }}</h2><p>{{ text }}</p>{% endfor %}{% endblock %}"
    ),
    "reaching_out.html": (
        '{% extends "records/document_base.html" %}'
        '{% block content %}<link rel="stylesheet" href="https://fonts.example.org/x.css">{% endblock %}'
    ),
}


@pytest.fixture(autouse=True)
def documents(settings):
    """The shared base from the project's templates; the documents that extend it from memory."""
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": settings.TEMPLATES[0]["DIRS"],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", DOCUMENTS),
                    "django.template.loaders.filesystem.Loader",
                ]
            },
        }
    ]
    settings.KINDRED_AGENCY_NAME = "Harbor County Department of Children and Families"
    settings.KINDRED_AGENCY_ADDRESS = "12 Quay Street, Harbor City, ME 04101"
    settings.KINDRED_AGENCY_PHONE = "(207) 555-0142"


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_it_prints_the_letterhead_the_title_the_content_and_the_page_number():
    document = render_document(
        template="letter.html",
        context={"parent": "Ms. Alvarez", "body": "Your family team meeting is on Tuesday."},
        title="Notice of family team meeting",
    )

    (page,) = pages_text(document.pdf())
    for text in [
        "Harbor County Department of Children and Families",
        "12 Quay Street, Harbor City, ME 04101",
        "(207) 555-0142",
        "Notice of family team meeting",
        "Dear Ms. Alvarez,",
        "Your family team meeting is on Tuesday.",
        "Confidential",
        "Page 1 of 1",
    ]:
        assert text in page


def test_it_marks_and_numbers_every_page_of_a_long_document():
    document = render_document(
        template="long.html",
        context={"goals": range(1, 41), "text": "Attend every parenting class and practise the routines at home."},
        title="Family service plan",
    )

    pages = pages_text(document.pdf())

    assert len(pages) > 1
    assert "Harbor County Department of Children and Families" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Confidential" in page
        assert "Family service plan" in page


def test_the_page_is_the_same_html_with_the_letterhead():
    document = render_document(template="letter.html", context={"parent": "Mr. Lee", "body": "-"}, title="Letter")

    assert "<title>Letter</title>" in document.html
    assert '<p class="agency">Harbor County Department of Children and Families</p>' in document.html
    assert '<p class="confidential">Confidential</p>' in document.html
    assert "/static/records/document.css" in document.html


def test_it_escapes_what_the_context_holds():
    document = render_document(
        template="letter.html",
        context={"parent": '<script>alert("x")</script>', "body": "<img src=https://tracker.example.org/p.gif>"},
        title="A <b>bold</b> title",
    )

    assert "<script>" not in document.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in document.html
    assert "<img" not in document.html
    assert "<b>bold</b>" not in document.html
    assert "A &lt;b&gt;bold&lt;/b&gt; title" in document.html


@pytest.mark.parametrize(
    "url",
    [
        "https://fonts.example.org/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://files.example.org/logo.png",
        f"{BASE_URL}static/../../config/settings.py",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}media/upload.png",
        f"{BASE_URL}static/records/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files_and_data_urls(url):
    with pytest.raises(ResourceRefused):
        LocalFetcher().fetch(url)


def test_the_fetcher_reads_our_static_files_and_data_urls():
    stylesheet = LocalFetcher().fetch(f"{BASE_URL}static/records/document.css")
    inline = LocalFetcher().fetch("data:text/plain,kindred")

    assert b"@page" in stylesheet.read()
    assert stylesheet.content_type == "text/css"
    assert inline.read() == b"kindred"


def test_a_document_that_reaches_out_is_not_printed_and_opens_no_connection(monkeypatch):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connections.append(address))
    document = render_document(template="reaching_out.html", context={}, title="Letter")

    with pytest.raises(FatalURLFetchingError) as stopped:
        document.pdf()
    assert isinstance(stopped.value.__cause__, ResourceRefused)
    assert connections == []


@pytest.mark.django_db
def test_the_download_is_an_attachment_that_no_cache_keeps_and_an_audited_read(cast):
    document = render_document(
        template="letter.html", context={"parent": "Ms. Okafor", "body": "-"}, title="Court report"
    )
    person = make_person(cast.screener, age=30)

    response = pdf_download(document, user=cast.screener, shows=[person])
    renamed = pdf_download(document, user=cast.screener, shows=[person], filename="report-2026-03.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="court-report.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    assert renamed["Content-Disposition"] == 'attachment; filename="report-2026-03.pdf"'
    downloads = AuditEvent.objects.filter(action="families.person.listed", target_label="PDF download")
    assert downloads.count() == 2 and downloads.first().changes["ids"] == {"families.person": [str(person.public_id)]}
