"""Splitting a list into pages for replies that can grow long."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from skills.commands import Command
from skills.replies import Actions, Button, Paragraph
from skills.text.i18n import Translator


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


def page_controls(
    t: Translator,
    page: Page[object],
    go_to: Callable[[int], Command],
    labels: tuple[str, str] | None = None,
) -> list[Paragraph | Actions]:
    """ "Page k of n" and the buttons to the neighbouring pages, when there is more than one.

    ``labels`` are the (already translated) names of the previous and next buttons; "Previous"
    and "Next" unless the pages have an order of their own (a history's "Newer" and "Older").
    """
    if page.count == 1:
        return []
    labels = labels or (t.p_("page", "Previous"), t.p_("page", "Next"))
    buttons = []
    if page.has_previous:
        buttons.append(Button(labels[0], go_to(page.number - 1)))
    if page.has_next:
        buttons.append(Button(labels[1], go_to(page.number + 1)))
    status = Paragraph(t._("Page {page} of {pages}", page=page.number, pages=page.count))
    return [status, Actions(tuple(buttons))]
