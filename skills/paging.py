"""Splitting a list into pages for replies that can grow long."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Page[T]:
    """One page of items, with its number (from 1) and the number of pages."""

    items: Sequence[T]
    number: int
    count: int
    first_index: int

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.number < self.count


def page_of[T](items: Sequence[T], requested: int, size: int) -> Page[T]:
    """The requested page, clamped to the pages that exist (there is always at least one)."""
    count = max(1, -(-len(items) // size))
    number = min(max(requested, 1), count)
    start = (number - 1) * size
    return Page(items[start : start + size], number, count, start)
