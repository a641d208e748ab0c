"""SQL helpers with no domain, for statements written by hand and for the ORM's filters alike."""

from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField, Expression, F


def among(column: str, ids: Sequence[int], vendor: str | None = None) -> tuple[str, list]:
    """`column` among these ids: one array parameter on PostgreSQL (the driver then adapts one value,
    not each of up to thousands), a list of them elsewhere."""
    if (vendor or connection.vendor) == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


class AmongIds(Expression):
    """`column` among these ids, as `among` writes it, for the ORM's filters."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]):
        super().__init__()
        self.column, self.ids = F(column), ids

    def get_source_expressions(self) -> list:
        return [self.column]

    def set_source_expressions(self, expressions: list) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        sql, ids = among(column, self.ids, connection.vendor)
        return sql, [*params, *ids]
