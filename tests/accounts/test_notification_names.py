"""Notifications name the record for their recipient: the family, the children's first names and ages,
the priority and the due date beside the reference for one who may see it, the reference alone for one
who may not; the list puts unread first, grouped by kind, the soonest due first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.mail import notifications_email
from accounts.models import Notification
from accounts.notifications import notify_about
from cases import services
from tests.factories import make_case, make_investigation, make_staff

pytestmark = pytest.mark.django_db


def test_it_names_a_new_investigation_for_the_supervisor(cast):
    investigation = make_investigation(cast.screener)
    note = Notification.objects.get(recipient=cast.supervisor, key=f"investigation-created:{investigation.public_id}")
    victim = investigation.report.participants.get(role="alleged_victim").person
    assert note.kind == "Investigations"
    assert investigation.reference in note.title
    assert f"{victim.last_name} family" in note.title and f"{victim.first_name}, 7" in note.title
    assert "Within 3 days" in note.title
    assert note.due_at == investigation.response_due_at


def test_it_names_a_case_by_reference_alone_to_the_worker_who_lost_it(cast):
    case = make_case(cast.supervisor, worker=cast.worker)
    successor = make_staff("successor", "caseworker", unit=cast.unit)
    services.case_assign(actor=cast.supervisor, case=case, worker=successor)
    lost = Notification.objects.get(recipient=cast.worker, message__contains="reassigned")
    gained = Notification.objects.get(recipient=successor, message__contains="assigned to you")
    assert lost.title == case.reference
    assert gained.title.startswith(f"{case.reference} · {case.family_name} · ")


def test_the_list_puts_unread_first_by_kind_and_soonest_due_first(cast, client_for):
    later = make_case(cast.supervisor, worker=cast.worker)
    sooner = make_case(cast.supervisor, worker=cast.worker)
    Notification.objects.filter(recipient=cast.worker).delete()
    now = timezone.now()
    for case, due in ((later, now + timedelta(days=9)), (sooner, now + timedelta(days=1))):
        notify_about(record=case, recipients=[cast.worker], message=f"{case.reference}: look at it.")
        Notification.objects.filter(recipient=cast.worker, message__startswith=case.reference).update(due_at=due)
    read = Notification.objects.create(recipient=cast.worker, message="An old one.", read_at=now, due_at=now)
    page = client_for(cast.worker).get(reverse("notification_list")).content.decode()
    assert page.index(sooner.reference) < page.index(later.reference) < page.index(read.message)
    assert page.index("Unread: Cases") < page.index(sooner.reference)
    assert sooner.family_name in page


def test_the_email_copy_names_the_record(cast, mailoutbox):
    case = make_case(cast.supervisor, worker=cast.worker)
    notify_about(record=case, recipients=[cast.worker], message=f"{case.reference}: look at it.")
    note = Notification.objects.get(recipient=cast.worker, message__endswith="look at it.")
    notifications_email(ids=[note.pk])
    assert case.family_name in mailoutbox[-1].body
