"""The investigation page benchmark: an investigation with 6 people, 40 contacts (some with collateral contacts),
3 safety assessments and a risk assessment, as its worker sees it through the test client.

The rows are created directly (no services), as a caseworker's busy investigation would have them. The page is
timed as the other page benchmarks are (3 warm-up requests, the median of 20) and read as a ratio to the floor
page (`bench page_floor`), measured again here in the same run.
"""

import random
import statistics
import time
from collections.abc import Iterable
from datetime import date, timedelta

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.choices import ContactLocation, ContactType, ParticipantRole, ReportStatus, ResponsePriority
from cases.models import Allegation, IntakeReport, ReportParticipant
from demo.bench.accounts import count_queries
from demo.bench.dashboard import _staff
from families.models import Person
from investigations.choices import (
    CollateralRole,
    ContactPurpose,
    CrossReportMethod,
    InvestigationStatus,
    RiskLevel,
    SafetyDecision,
)
from investigations.models import (
    CollateralContact,
    CrossReport,
    Investigation,
    InvestigationContact,
    RiskAssessment,
    SafetyAssessment,
)

PEOPLE = [
    ("Maya", date(2016, 4, 2), ParticipantRole.ALLEGED_VICTIM),
    ("Diego", date(2018, 9, 14), ParticipantRole.ALLEGED_VICTIM),
    ("Nora", date(2021, 1, 30), ParticipantRole.ALLEGED_VICTIM),
    ("Elena", date(1990, 6, 8), ParticipantRole.ALLEGED_PERPETRATOR),
    ("Marco", date(1988, 11, 21), ParticipantRole.PARENT_CAREGIVER),
    ("Rosa", date(1961, 3, 3), ParticipantRole.HOUSEHOLD_MEMBER),
]
FAMILY = "Benchwood"
CONTACTS = 40
SAFETY_ASSESSMENTS = 3
RUNS = 20
WARM_UP_RUNS = 3
SEED = 2026


def _investigation() -> tuple[Investigation, object]:
    rng = random.Random(SEED)
    now = timezone.now()
    unit, supervisor, [worker] = _staff("bench-investigation-page", 1)
    report = IntakeReport.objects.create(
        status=ReportStatus.SCREENED_IN,
        unit=unit,
        created_by=supervisor,
        decided_by=supervisor,
        received_at=now - timedelta(days=12),
        response_priority=ResponsePriority.THREE_DAYS,
        narrative="Generated for the investigation page benchmark.",
        incident_address="1 Bench Lane",
        safety_alerts=["firearms", "dangerous_animal"],
        safety_notes="Generated: visit in pairs.",
    )
    people = [Person.objects.create(first_name=first, last_name=FAMILY, birth_date=born) for first, born, _ in PEOPLE]
    ReportParticipant.objects.bulk_create(
        [
            ReportParticipant(report=report, person=person, role=role)
            for person, (_, _, role) in zip(people, PEOPLE, strict=True)
        ]
    )
    Allegation.objects.bulk_create(
        [
            Allegation(report=report, victim=child, perpetrator=people[3], maltreatment_type="neglect")
            for child in people[:3]
        ]
    )
    investigation = Investigation.objects.create(
        report=report,
        status=InvestigationStatus.IN_PROGRESS,
        unit=unit,
        assigned_worker=worker,
        response_due_at=report.received_at + timedelta(days=3),
        first_contact_at=report.received_at + timedelta(days=1),
        cross_report_due_at=report.received_at + timedelta(hours=24),
    )
    contacts = InvestigationContact.objects.bulk_create(
        [
            InvestigationContact(
                investigation=investigation,
                occurred_at=report.received_at + timedelta(days=1, hours=5 * index),
                contact_type=ContactType.FACE_TO_FACE if index % 3 else ContactType.PHONE,
                location=rng.choice([ContactLocation.RESIDENCE, ContactLocation.SCHOOL, ContactLocation.OFFICE]),
                narrative=f"Generated contact {index}.",
                purpose=rng.choice(ContactPurpose.values),
                recorded_by=worker,
            )
            for index in range(CONTACTS)
        ]
    )
    Seen = InvestigationContact.people_seen.through
    Seen.objects.bulk_create(
        [
            Seen(investigationcontact_id=contact.pk, person_id=person.pk)
            for contact in contacts
            for person in rng.sample(people, rng.randint(1, 4))
        ]
    )
    CollateralContact.objects.bulk_create(
        [
            CollateralContact(contact=contact, name=f"Collateral {index}", role=rng.choice(CollateralRole.values))
            for index, contact in enumerate(contacts)
            if index % 4 == 0
        ]
    )
    SafetyAssessment.objects.bulk_create(
        [
            SafetyAssessment(
                investigation=investigation,
                assessed_at=report.received_at + timedelta(days=2 + 3 * index),
                assessed_by=worker,
                protective_capacities="Generated.",
                decision=SafetyDecision.SAFE,
                superseded_at=None if index == SAFETY_ASSESSMENTS - 1 else now,
            )
            for index in range(SAFETY_ASSESSMENTS)
        ]
    )
    RiskAssessment.objects.create(
        investigation=investigation,
        assessed_at=report.received_at + timedelta(days=9),
        assessed_by=worker,
        total_score=6,
        scored_level=RiskLevel.MODERATE,
    )
    CrossReport.objects.create(
        investigation=investigation,
        agency="Bench County Sheriff",
        reported_at=report.received_at + timedelta(hours=3),
        method=CrossReportMethod.PHONE,
        officer_name="Generated Officer",
        recorded_by=worker,
    )
    return investigation, worker


def _median_ms(request_page) -> float:
    for _ in range(WARM_UP_RUNS):
        request_page()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        request_page()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _getter(client: Client, url: str, expected: list[bytes]):
    def request_page():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}, expected 200")
        if not all(text in response.content for text in expected):
            raise AssertionError(f"GET {url} does not show {expected}; the benchmark would measure less than the page")

    return request_page


def bench_investigation_page(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """The investigation page as its worker sees it: its median, its queries, and its ratio to the floor page
    (bench-only URLconf `demo/bench/floor.py`) timed the same way by the same client in the same run.
    `scale` changes nothing: the page's size is the issue's (6 people, 40 contacts, 3 + 1 assessments)."""
    investigation, worker = _investigation()
    client = Client()
    client.force_login(worker)
    url = reverse("investigation_detail", args=[investigation.public_id])
    # Every contact listed: the last one of them to have a collateral contact is on the page.
    request_page = _getter(client, url, [FAMILY.encode(), f"Collateral {CONTACTS - 4}".encode()])
    median = _median_ms(request_page)
    queries = count_queries(request_page)
    with override_settings(ROOT_URLCONF="demo.bench.floor"):
        floor = _median_ms(_getter(client, reverse("bench_page_floor"), [worker.username.encode()]))
    yield "investigation_page_median_ms", median, "ms"
    yield "investigation_page_queries", queries, "queries"
    yield "investigation_page_floor_median_ms", floor, "ms"
    yield "investigation_page_vs_floor", median / floor, "x"


BENCHMARKS = [bench_investigation_page]
