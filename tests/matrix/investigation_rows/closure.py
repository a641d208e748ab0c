"""Permission matrix rows of the investigation's closure pages and API (merged into tests.matrix.rows.MATRIX)."""

from tests.matrix.harness import Row

ROWS: dict[str, Row] = {}
