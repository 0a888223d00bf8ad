"""One line about a report, the same on the card and in the history."""

from skills.core.access import may_see_reporter
from skills.core.scope import Scope
from skills.reports.categories import category
from skills.strikes.labels import severity_label
from skills.strikes.policy import Severity
from storage.models import Incident


def reporter_name(scope: Scope, incident: Incident) -> str:
    """The reporter's name, or "a teammate" for staff who may not see it."""
    if may_see_reporter(scope.tenant, scope.actor, incident.reporter_id):
        return incident.reporter_name
    return scope.t._("a teammate")


def incident_line(scope: Scope, incident: Incident) -> str:
    """``#12 · 20 Nov 2026 · Scope creep · Yellow card · by Ana``, and why it was voided."""
    t = scope.t
    parts = [
        f"#{incident.id}",
        t.date(incident.occurred_at, scope.tenant.timezone),
        category(incident.category).label(t),
        severity_label(t, Severity(incident.severity)),
        t._("by {name}", name=reporter_name(scope, incident)),
    ]
    line = " · ".join(parts)
    if incident.voided_at is not None:
        line += " — " + t._("voided: {reason}", reason=incident.void_reason or "")
    return line


def incident_data(scope: Scope, incident: Incident) -> dict[str, object]:
    """The machine-readable form of a report, with the reporter hidden as the line hides it."""
    visible = may_see_reporter(scope.tenant, scope.actor, incident.reporter_id)
    return {
        "id": incident.id,
        "category": incident.category,
        "severity": incident.severity,
        "occurred_at": incident.occurred_at.isoformat(),
        "reporter": incident.reporter_id if visible else None,
        "voided": incident.voided_at is not None,
    }
