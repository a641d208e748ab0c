"""Extension points: how a lower app shows what higher apps know, without importing them.

A lower app declares a point (`person_involvement = ExtensionPoint("...")`) where it reads it; a
higher app registers into it from its `AppConfig.ready()`. The lower app then calls every entry
in registration order (the order of INSTALLED_APPS), never knowing which apps filled it.
"""

from collections.abc import Callable, Iterator
from typing import Any


class ExtensionPoint:
    """An ordered registry of callables that higher apps fill in at start-up."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._entries: list[Callable[..., Any]] = []

    def register(self, entry: Callable[..., Any]) -> Callable[..., Any]:
        """Add an entry (usable as a decorator); registering the same callable twice keeps one."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(tuple(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def call_all(self, *args, **kwargs) -> list[Any]:
        """Every entry's answer, in registration order."""
        return [entry(*args, **kwargs) for entry in self._entries]

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self._entries)} entries>"


holidays_changed = ExtensionPoint(
    "holidays_changed",
    "entry(day=) -> int: a holiday was added or removed on `day` (a date); recount the working-day deadlines already "
    "set that it moves, set-based, inside the change's transaction, and say how many moved.",
)
