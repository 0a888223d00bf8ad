"""The language a person chose for themselves (``/client settings my-language``), which wins
over their Slack or Teams language.

Read on every request that names a person, so it is cached per process for
``CACHE_SECONDS``: a change is seen at once by the process that made it, and within that time
by the others (replicas).
"""

import logging
from collections.abc import Callable

from cachetools import TTLCache
from sqlalchemy.exc import SQLAlchemyError

from skills.text.i18n import SUPPORTED_LANGUAGES
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CACHE_SECONDS = 60
CACHE_SIZE = 10_000
_NOTHING_CHOSEN = ""


class PersonalLanguages:
    """People's chosen languages, read through a short cache."""

    def __init__(self, seconds: float = CACHE_SECONDS) -> None:
        self._chosen: TTLCache[tuple[str, str], str] = TTLCache(CACHE_SIZE, seconds)

    async def locale(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        tenant_id: str,
        user_id: str,
        platform_locale: str | None,
    ) -> str | None:
        """The locale to speak to the person in: the language they chose, else their
        platform's."""
        key = (tenant_id, user_id)
        chosen = self._chosen.get(key)
        if chosen is None:
            try:
                async with unit_of_work() as work:
                    stored = await work.people.language(tenant_id, user_id)
            except (SQLAlchemyError, OSError):
                # A language is not worth failing a request (or a note to the staff) for.
                log.warning("cannot read %s's language; using the platform's", user_id)
                return platform_locale
            found = stored if stored in SUPPORTED_LANGUAGES else _NOTHING_CHOSEN
            # What ``remember`` stored while this read was on its way is newer: it stays.
            chosen = self._chosen.setdefault(key, found)
        return chosen or platform_locale

    def remember(self, tenant_id: str, user_id: str, language: str | None) -> None:
        """What the person just chose (None: their platform's language), for this process."""
        self._chosen[(tenant_id, user_id)] = language or _NOTHING_CHOSEN
