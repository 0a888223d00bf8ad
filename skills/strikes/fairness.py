"""Fairness checks shown beside a client's strikes (DOMAIN §1: staff report, managers judge)."""

from skills.text.i18n import Translator
from storage.repositories.summary import TopReporter


def is_one_sided(top: TopReporter | None) -> bool:
    """Whether one person filed most (more than half, of at least two) of the active strikes."""
    return top is not None and top.total >= 2 and top.filed * 2 > top.total


def one_reporter_note(t: Translator, top: TopReporter | None, *, named: bool) -> str | None:
    """The note that lets a manager weigh a single point of view; None when there is none.

    The reporter is ``named`` only to those who may see reporters (managers, the reporter);
    everyone else, and every channel, reads "one teammate".
    """
    if top is None or not is_one_sided(top):
        return None
    # The plural follows the total: the strikes counted are "the {count} active strikes".
    if not named:
        return t.n_(
            "One teammate filed {filed} of the {count} active strike from reports.",
            "One teammate filed {filed} of the {count} active strikes from reports.",
            top.total,
            filed=t.number(top.filed),
        )
    return t.n_(
        "{name} filed {filed} of the {count} active strike from reports.",
        "{name} filed {filed} of the {count} active strikes from reports.",
        top.total,
        name=top.reporter_name,
        filed=t.number(top.filed),
    )
