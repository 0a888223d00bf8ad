"""The cache of the languages people chose: a choice made in this process is never undone by
a read that was on its way."""

import asyncio
from types import TracebackType
from typing import Self

from skills.core.languages import PersonalLanguages


class _SlowPeople:
    """A stored choice read slowly: the read waits until ``release`` is set."""

    def __init__(self, stored: str | None) -> None:
        self.stored = stored
        self.release = asyncio.Event()
        self.reading = asyncio.Event()

    async def language(self, _tenant_id: str, _user_id: str) -> str | None:
        self.reading.set()
        await self.release.wait()
        return self.stored


class _Work:
    def __init__(self, people: _SlowPeople) -> None:
        self.people = people

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None


async def test_a_choice_made_during_a_read_is_kept() -> None:
    languages = PersonalLanguages()
    people = _SlowPeople(stored=None)  # what the database said before the choice
    read = asyncio.create_task(
        languages.locale(lambda: _Work(people), "t", "ana", "en-US")  # type: ignore[arg-type, return-value]
    )
    await people.reading.wait()
    languages.remember("t", "ana", "ja")  # the choice, saved while the read was on its way
    people.release.set()
    await read
    assert await languages.locale(lambda: _Work(people), "t", "ana", "en-US") == "ja"  # type: ignore[arg-type, return-value]


async def test_a_database_that_cannot_answer_leaves_the_platforms_language() -> None:
    class _Down:
        async def __aenter__(self) -> None:
            raise OSError("connection refused")

        async def __aexit__(self, *_: object) -> None:
            return None

    languages = PersonalLanguages()
    assert await languages.locale(lambda: _Down(), "t", "ana", "es-MX") == "es-MX"  # type: ignore[arg-type, return-value]
