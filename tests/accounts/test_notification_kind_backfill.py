"""Notifications stored before they had a kind (accounts 0010): the kind comes from the page their link opens;
what no link tells is listed under "Other", after the known kinds, rather than under a kind it may not be."""

import importlib
from uuid import uuid4

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import notify
from tests.factories import make_case

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("accounts.migrations.0010_notification_kind_backfill").backfill


def stored_before_kinds(recipient, link: str) -> Notification:
    return Notification.objects.create(recipient=recipient, message=f"About {link or 'nothing'}.", link=link)


def test_it_gives_each_notification_the_kind_its_link_opens(cast):
    links = {
        reverse("case_detail", args=[uuid4()]): "Cases",
        reverse("case_review_closure", args=[uuid4()]): "Cases",
        reverse("intake_detail", args=[uuid4()]): "Intake reports",
        reverse("investigation_detail", args=[uuid4()]): "Investigations",
        reverse("investigation_findings_review", args=[uuid4()]): "Investigations",
        reverse("safety_plan_detail", args=[uuid4()]): "Investigations",
        reverse("investigation_list"): "Investigations",  # the deadline job's digest
        reverse("staff_approval", args=[uuid4()]): Notification.GENERAL_KIND,
    }
    notes = {link: stored_before_kinds(cast.supervisor, link) for link in links}
    backfill(apps, None)
    assert {link: Notification.objects.get(pk=note.pk).kind for link, note in notes.items()} == links
    assert not Notification.objects.exclude(title="").exists(), "no title is made up after the fact"


def test_it_leaves_empty_what_no_link_tells_and_any_kind_already_given(cast):
    # A work queue was the link of the visit digests and of a bulk reassignment's notices alike.
    unknown = [stored_before_kinds(cast.worker, link) for link in ("", reverse("my_work"), "/dashboard/")]
    given = stored_before_kinds(cast.worker, reverse("case_detail", args=[uuid4()]))
    Notification.objects.filter(pk=given.pk).update(kind="Investigations")
    backfill(apps, None)
    assert set(Notification.objects.filter(pk__in=[note.pk for note in unknown]).values_list("kind", flat=True)) == {""}
    assert Notification.objects.get(pk=given.pk).kind == "Investigations"


def test_the_list_shows_those_of_no_known_kind_under_other_after_the_rest(cast, client_for):
    make_case(cast.supervisor, worker=cast.worker)
    notify(recipients=[cast.worker], message="Your account was changed.")
    stored_before_kinds(cast.worker, reverse("my_work"))
    page = client_for(cast.worker).get(reverse("notification_list")).content.decode()
    assert page.index("Unread: Cases") < page.index("Unread: Staff and accounts") < page.index("Unread: Other")
    assert page.index("Unread: Other") < page.index("About /my-work/.")
