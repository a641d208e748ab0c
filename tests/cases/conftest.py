"""Intake fixtures, made through the real services on top of the shared cast."""

import pytest

from tests.factories import make_investigation, make_report


@pytest.fixture
def report(cast):
    """A complete draft: one neglect allegation of a 7-year-old against a parent."""
    return make_report(cast.screener)


@pytest.fixture
def investigation(cast):
    """A report screened in by the screener (3 days), its investigation assigned to the unit's worker."""
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def screened_in(investigation):
    investigation.report.refresh_from_db()
    return investigation.report
