"""The default lists an agency starts from (safety threats, risk items and their scores, allegation types
that must be cross-reported), and the statuses of the full workflow: an "open" investigation becomes
"in progress" when a face-to-face contact was recorded on it, "assigned" otherwise.

The risk items are modelled on public actuarial tools (structured decision-making family risk
assessments); an agency edits the lists in the admin site. Nothing here names a real person.
"""

from django.db import migrations

SAFETY_THREATS = [
    ("serious-harm", "Caregiver caused serious physical harm to the child or made a plausible threat to cause it"),
    ("caregiver-fears-harm", "Caregiver fears they will maltreat the child, or asks for placement"),
    ("threat-or-violence", "Caregiver threatens the child, or domestic violence is likely to injure the child"),
    ("excessive-discipline", "Caregiver's discipline is excessive or inappropriate for the child's age"),
    ("substance-exposed-infant", "A drug- or alcohol-exposed infant, and the caregiver cannot care for them"),
    ("sexual-abuse", "Sexual abuse is suspected and the child is at risk of further abuse"),
    ("explanation-inconsistent", "The explanation of an injury does not fit the injury"),
    ("needs-not-met", "The caregiver does not meet the child's immediate needs for food, shelter or medical care"),
    ("dangerous-conditions", "The home's physical conditions are hazardous to the child"),
    ("prior-maltreatment", "Prior maltreatment, with current circumstances that make it likely again"),
    ("failure-to-protect", "Caregiver fails to protect the child from serious harm by another person"),
    ("refuses-access", "The family refuses access to the child, or may flee"),
    ("child-afraid", "The child is afraid of the caregiver or of someone in the home"),
    ("caregiver-impairment", "Caregiver's substance use, mental health or cognitive impairment endangers the child"),
]

# (code, question, [(answer, score), ...]): the first answer of each item scores 0 (also for "unknown").
RISK_ITEMS = [
    ("prior-reports", "Prior reports of abuse or neglect", [("None", 0), ("One", 1), ("Two or more", 2)]),
    ("prior-investigations", "Prior substantiated findings", [("None", 0), ("One or more", 2)]),
    ("children-in-home", "Number of children in the home", [("One or two", 0), ("Three or more", 1)]),
    ("youngest-child", "Age of the youngest child", [("Five or older", 0), ("Under five", 1), ("Under one", 2)]),
    ("substance-use", "Caregiver's current substance use", [("No", 0), ("Alcohol or drugs", 1), ("Both", 2)]),
    ("domestic-violence", "Domestic violence in the household in the past year", [("No", 0), ("Yes", 2)]),
    ("mental-health", "Caregiver's mental health problem affecting care", [("No", 0), ("Yes", 1)]),
    ("caregiver-history", "Caregiver was maltreated as a child", [("No or unknown", 0), ("Yes", 1)]),
    ("child-needs", "A child has special medical, developmental or behavioural needs", [("No", 0), ("Yes", 1)]),
    ("housing", "Housing is unsafe or the family is homeless", [("No", 0), ("Yes", 1)]),
    ("cooperation", "Caregiver does not cooperate with the investigation", [("No", 0), ("Yes", 1)]),
]

CROSS_REPORT_RULES = [("sexual_abuse", 24), ("physical_abuse", 24), ("sex_trafficking", 24)]


def load_defaults(apps, schema_editor):
    SafetyThreat = apps.get_model("investigations", "SafetyThreat")
    RiskItem = apps.get_model("investigations", "RiskItem")
    RiskAnswer = apps.get_model("investigations", "RiskAnswer")
    CrossReportRule = apps.get_model("investigations", "CrossReportRule")
    for order, (code, label) in enumerate(SAFETY_THREATS):
        SafetyThreat.objects.get_or_create(code=code, defaults={"label": label, "order": order})
    for order, (code, question, answers) in enumerate(RISK_ITEMS):
        item, created = RiskItem.objects.get_or_create(code=code, defaults={"question": question, "order": order})
        if created:
            RiskAnswer.objects.bulk_create(
                RiskAnswer(item=item, label=label, score=score, order=i) for i, (label, score) in enumerate(answers)
            )
    for maltreatment_type, hours in CROSS_REPORT_RULES:
        CrossReportRule.objects.get_or_create(maltreatment_type=maltreatment_type, defaults={"within_hours": hours})


def open_to_assigned_or_in_progress(apps, schema_editor):
    Investigation = apps.get_model("investigations", "Investigation")
    InvestigationContact = apps.get_model("investigations", "InvestigationContact")
    seen = InvestigationContact.objects.filter(contact_type="face_to_face").values("investigation")
    Investigation.objects.filter(status="open", pk__in=seen).update(status="in_progress")
    Investigation.objects.filter(status="open").update(status="assigned")


def back_to_open(apps, schema_editor):
    Investigation = apps.get_model("investigations", "Investigation")
    Investigation.objects.exclude(status__in=["awaiting_assignment", "closed"]).update(status="open")


class Migration(migrations.Migration):
    dependencies = [("investigations", "0005_investigation_work")]

    operations = [
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
        migrations.RunPython(open_to_assigned_or_in_progress, back_to_open),
    ]
