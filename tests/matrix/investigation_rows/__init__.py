"""Matrix rows of the investigation's work, one module per concern."""

from tests.matrix.investigation_rows import assessments, closure, contacts, deadlines  # noqa: F401
