"""People carry the highest restriction of the reports and cases they are on (families.Person.access_restriction).

Kept here rather than in families, which knows no record type. The people seen at an investigation's
contacts are on its report, so reports and cases settle everyone.
"""

from django.db import migrations

LEVELS = ["none", "sensitive", "sealed"]


def people_carry_restrictions(apps, schema_editor):
    Person = apps.get_model("families", "Person")
    ReportParticipant = apps.get_model("cases", "ReportParticipant")
    CaseMember = apps.get_model("cases", "CaseMember")
    Person.objects.filter(pk__in=ReportParticipant.objects.values("person")).update(on_records=True)
    Person.objects.filter(pk__in=CaseMember.objects.values("person")).update(on_records=True)
    # Lowest first, so that a person on records of two levels ends with the higher.
    for level in LEVELS[1:]:
        restricted = ReportParticipant.objects.filter(report__access_restriction=level).values("person")
        Person.objects.filter(pk__in=restricted).update(access_restriction=level)
        restricted = CaseMember.objects.filter(case__access_restriction=level).values("person")
        Person.objects.filter(pk__in=restricted).update(access_restriction=level)
    # A record merged away stays behind its survivor's restriction.
    for level in LEVELS[1:]:
        Person.objects.filter(merged_into__access_restriction=level).update(access_restriction=level)
    Person.objects.filter(merged_into__isnull=False).update(on_records=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_contacts_belong_to_cases"),
        ("families", "0006_person_access_restriction"),
    ]

    operations = [migrations.RunPython(people_carry_restrictions, migrations.RunPython.noop)]
