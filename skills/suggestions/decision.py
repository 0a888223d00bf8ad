"""What the person a suggestion was put to decides: file the prefilled report (the report's
filing marks the suggestion ``reported``) or set it aside ("Not now": ``dismissed``)."""

from skills.commands import DismissSuggestion
from skills.core.access import is_manager, refuse
from skills.core.scope import Scope
from skills.replies import Paragraph, Reply, ReplyKind
from skills.suggestions.message import KEY_PREFIX, OPEN
from storage.models import Incident

REPORTED = "reported"
DISMISSED = "dismissed"


async def dismiss_suggestion(scope: Scope, command: DismissSuggestion) -> Reply:
    """ "Not now": the suggestion leaves the card and is not put to anyone again. Its
    recipients and the managers may; a suggestion decided already stays as it was."""
    t = scope.t
    found = None
    if command.suggestion_id.isdigit():
        found = await scope.uow.suggestions.lock(scope.tenant.id, int(command.suggestion_id))
    if found is None:
        return Reply(
            ReplyKind.ERROR,
            (Paragraph(t._("That suggestion no longer exists.")),),
            {"error": "not_found"},
        )
    subject = ("suggestion", str(found.id))
    if scope.actor.user_id not in found.recipients and not is_manager(scope.tenant, scope.actor):
        return await refuse(scope, "suggestion.dismiss", reason="not_recipient", subject=subject)
    if found.status != OPEN:
        text = (
            t._("This suggestion was filed as a report already.")
            if found.status == REPORTED
            else t._("This suggestion was set aside already.")
        )
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"status": found.status})
    found.status = DISMISSED
    found.decided_at = scope.now
    found.decided_by = scope.actor.user_id
    await scope.audit("suggestion.dismissed", subject=subject, client_id=found.client_id)
    await scope.uow.commit()
    return Reply(
        ReplyKind.RESULT,
        (Paragraph(t._("Set aside: nothing was filed, and the card no longer suggests it.")),),
        {"status": DISMISSED, "suggestion_id": found.id},
    )


async def mark_reported(scope: Scope, idempotency_key: str | None, incident: Incident) -> None:
    """When ``incident`` was filed from a suggestion's button (its key says which), mark the
    suggestion ``reported`` with the report's id, in the filing's transaction."""
    if idempotency_key is None or not idempotency_key.startswith(KEY_PREFIX):
        return
    number = idempotency_key.removeprefix(KEY_PREFIX)
    if not number.isdigit():
        return
    found = await scope.uow.suggestions.lock(scope.tenant.id, int(number))
    if found is None or found.client_id != incident.client_id:
        return
    found.status = REPORTED
    found.incident_id = incident.id
    found.decided_at = scope.now
    found.decided_by = scope.actor.user_id
    await scope.audit(
        "suggestion.reported", subject=("suggestion", str(found.id)), incident_id=incident.id
    )
