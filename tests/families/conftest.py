"""A family on an investigation assigned to the cast's worker: the child and the parent of the report."""

import pytest

from cases.choices import ParticipantRole
from tests.factories import make_investigation


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def child(investigation):
    return investigation.report.participants.get(role=ParticipantRole.ALLEGED_VICTIM).person


@pytest.fixture
def parent(investigation):
    return investigation.report.participants.get(role=ParticipantRole.ALLEGED_PERPETRATOR).person
