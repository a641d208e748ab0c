"""An investigation's rows that several reads need (the page's sections, what closing still needs), each loaded
once, on first use, for one read of one investigation: no user, no policy, nothing kept beyond the read."""

from datetime import datetime
from functools import cached_property

from django.db.models import QuerySet

from cases.models import Allegation
from investigations.models import ChildContactDeadline, CrossReport, Investigation, RiskAssessment, SafetyAssessment


def open_allegations(investigation: Investigation) -> QuerySet:
    """The allegations of the investigation's report that stand (not withdrawn), with victim and perpetrator."""
    return (
        Allegation.objects.filter(report_id=investigation.report_id, withdrawn_at__isnull=True)
        .select_related("victim", "perpetrator", "finding", "finding__recorded_by")
        .order_by("id")
    )


class InvestigationFacts:
    def __init__(self, investigation: Investigation) -> None:
        self.investigation = investigation

    @cached_property
    def allegations(self) -> list[Allegation]:
        return list(open_allegations(self.investigation))

    @cached_property
    def child_deadlines(self) -> list[ChildContactDeadline]:
        return list(self.investigation.child_deadlines.select_related("person", "excused_by"))

    @cached_property
    def safety_assessments(self) -> list[SafetyAssessment]:
        return list(self.investigation.safety_assessments.select_related("assessed_by"))

    @cached_property
    def risk_assessments(self) -> list[RiskAssessment]:
        return list(self.investigation.risk_assessments.select_related("assessed_by"))

    @cached_property
    def cross_reports(self) -> list[CrossReport]:
        return list(self.investigation.cross_reports.select_related("recorded_by"))

    @property
    def first_assessed_at(self) -> datetime | None:
        return min((assessment.assessed_at for assessment in self.safety_assessments), default=None)

    @property
    def first_cross_reported_at(self) -> datetime | None:
        return min((cross_report.reported_at for cross_report in self.cross_reports), default=None)
