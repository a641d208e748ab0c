"""What cases lets the record apps above it add, without knowing them (`records.extensions`).

A report screened in starts the work of a higher app (investigations opens the investigation);
that app's records then say who works the report.
The higher apps fill these points from their `AppConfig.ready()`.
"""

from records.extensions import ExtensionPoint

report_screened_in = ExtensionPoint(
    "report_screened_in",
    "What a screen-in starts: entry(actor=, report=), called inside report_screen_in's transaction.",
)
report_response_due_changed = ExtensionPoint(
    "report_response_due_changed",
    "A screened-in report's first_contact_due_at moved: entry(report=), called inside the change's transaction.",
)
report_assigned = ExtensionPoint(
    "report_assigned",
    "entry(user) -> Q over IntakeReport: the reports behind the higher records assigned to the user.",
)
report_worked_in_units = ExtensionPoint(
    "report_worked_in_units",
    "entry(units) -> Q over IntakeReport: the reports behind the higher records worked in these units (a Unit "
    "queryset). Those units' supervisors see the report and may read its reporter.",
)
