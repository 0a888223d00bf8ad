"""A clock tests move by hand, so nothing sleeps."""

from datetime import UTC, datetime, timedelta


class FakeClock:
    """Callable like ``skills.core.context.system_clock``; starts at a fixed moment."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)
