"""A report named by its number with a reason, as ``void`` and ``dispute`` take them."""

from dataclasses import dataclass

from skills.text.i18n import Translator
from skills.text.numbers import whole_number

MAX_REASON = 1000


@dataclass(frozen=True)
class ReportReference:
    """The report number and reason as typed, checked: ``errors`` by field name."""

    raw_id: str
    incident_id: int | None
    reason: str
    errors: dict[str, str]

    @property
    def complete(self) -> bool:
        """Both are there and valid: the command can go ahead without a form."""
        return not self.errors and self.incident_id is not None and bool(self.reason)


def report_reference(t: Translator, incident_id: str | None, reason: str | None) -> ReportReference:
    """Read ``#12`` or ``12`` and a reason of at most ``MAX_REASON`` characters."""
    raw_id = (incident_id or "").strip().lstrip("#")
    number = whole_number(raw_id, lowest=1)
    text = (reason or "").strip()
    errors: dict[str, str] = {}
    if raw_id and number is None:
        errors["incident_id"] = t._("A report number is digits, like 12 or #12.")
    if len(text) > MAX_REASON:
        errors["reason"] = t.n_(
            "A reason can be at most {count} character.",
            "A reason can be at most {count} characters.",
            MAX_REASON,
        )
    return ReportReference(raw_id, number, text, errors)
