"""`records.workflow.returned`: a supervisor returns a record to its worker with a required comment, shown here on a
case whose closure was requested (any record with a workflow and a `return_comment` works alike)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AuditEvent, Notification
from cases import services as casework
from cases.choices import CaseStatus
from records.workflow import returned
from tests.factories import make_case

pytestmark = pytest.mark.django_db

LINK = "/cases/somewhere/"


@pytest.fixture
def case(cast):
    case = make_case(cast.supervisor, worker=cast.worker)
    return casework.case_request_closure(actor=cast.worker, case=case, reason="reunified")


def return_it(cast, case, comment: str, recipients=None):
    with transaction.atomic():
        return returned(
            case,
            move="return_closure",
            actor=cast.supervisor,
            comment=comment,
            refusal="Say what must happen first.",
            recipients=[cast.worker] if recipients is None else recipients,
            message="Your closure request was returned.",
            link=LINK,
        )


def what_was_saved(case) -> tuple:
    case.refresh_from_db()
    return (
        case.status,
        case.return_comment,
        case.transitions.count(),
        AuditEvent.objects.filter(action="cases.case.closure_returned").count(),
        Notification.objects.filter(message="Your closure request was returned.").count(),
    )


def test_it_keeps_the_comment_makes_the_move_audits_it_and_tells_the_recipients(cast, case):
    before = case.transitions.count()
    result = return_it(cast, case, "Finish the aftercare plan first.", recipients=[cast.worker, None])
    assert result is case
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.return_comment == "Finish the aftercare plan first."
    step = case.transitions.order_by("-id").first()
    assert case.transitions.count() == before + 1
    assert (step.from_status, step.to_status, step.by, step.comment) == (
        CaseStatus.CLOSURE_REQUESTED,
        CaseStatus.OPEN,
        cast.supervisor,
        "Finish the aftercare plan first.",
    )
    event = AuditEvent.objects.get(action="cases.case.closure_returned")
    # The audit notes that a reason was given, never its words (no case content in the audit log).
    assert (event.actor, event.target_id, event.reason) == (cast.supervisor, str(case.public_id), "")
    assert event.changes == {"reason_given": True}
    notice = Notification.objects.get(message="Your closure request was returned.")
    assert (notice.recipient, notice.link) == (cast.worker, LINK)


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_it_refuses_a_missing_comment_as_the_comment_field_s_error_and_saves_nothing(cast, case, comment):
    before = what_was_saved(case)
    with pytest.raises(ValidationError) as refused:
        return_it(cast, case, comment)
    assert refused.value.message_dict == {"comment": ["Say what must happen first."]}
    assert what_was_saved(case) == before


def test_it_refuses_a_move_the_workflow_does_not_allow_now_and_saves_nothing(cast, case):
    return_it(cast, case, "Finish the aftercare plan first.")
    before = what_was_saved(case)
    with pytest.raises(ValidationError) as refused:
        return_it(cast, case, "Again.")
    assert refused.value.messages == ["A case that is open cannot be returned from closure review."]
    assert what_was_saved(case) == before
