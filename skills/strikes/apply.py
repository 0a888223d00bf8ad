"""Applying the policy after a change: the client's state, one escalation per crossing."""

from dataclasses import dataclass
from typing import NamedTuple

from skills.core.scope import Scope
from skills.escalation.lifecycle import close_escalation, open_escalation
from skills.strikes.policy import (
    ClientState,
    Decision,
    LastDecision,
    Severity,
    Strike,
    StrikeSummary,
    derive_state,
    is_active,
    with_assessment_flag,
    with_strike,
)
from storage.models import Client, EscalationStatus, Incident, OutboxMessage
from storage.repositories.clients import ClientStrikeRow


class Counted(NamedTuple):
    """A client's active strikes and the id of its open escalation, as counted."""

    summary: StrikeSummary
    escalation_id: int | None


@dataclass(frozen=True)
class Outcome:
    """What applying the policy changed."""

    client_id: int
    previous: ClientState
    state: ClientState
    summary: StrikeSummary
    escalation_id: int | None
    opened: bool
    queued: tuple[OutboxMessage, ...]


async def current_summary(scope: Scope, client: Client) -> Counted:
    """The client's active strikes now, counted in the database, and its open escalation's id."""
    rows = await scope.uow.clients.with_strikes(
        scope.tenant.id, window_start=scope.policy.window_start(scope.now), client_id=client.id
    )
    return Counted(row_summary(scope, rows[0]), rows[0].open_escalation_id)


def row_summary(scope: Scope, row: ClientStrikeRow) -> StrikeSummary:
    """A client's counted strikes with its assessment's flag (a red strike) added."""
    counted = StrikeSummary(row.active_strikes, row.active_reds, row.last_strike_recorded_at)
    return with_assessment_flag(
        counted, row.client.flagged_at, scope.policy, scope.now, row.client.strikes_reset_at
    )


async def states_now(scope: Scope) -> list[tuple[Client, ClientState, StrikeSummary]]:
    """Every client of the tenant with its state and strikes under ``scope.policy`` now."""
    rows = await scope.uow.clients.with_strikes(
        scope.tenant.id, window_start=scope.policy.window_start(scope.now)
    )
    states = []
    for row in rows:
        summary = row_summary(scope, row)
        state = derive_state(summary, scope.policy, last_decision(row.client))
        states.append((row.client, state, summary))
    return states


async def count_at_threshold(scope: Scope) -> int:
    """How many clients are over the threshold under ``scope.policy``, on the current record."""
    return sum(
        1 for _client, state, _summary in await states_now(scope) if state is ClientState.THRESHOLD
    )


async def live_state(scope: Scope, client: Client) -> tuple[ClientState, StrikeSummary]:
    """The client's state as of now: strikes that expired since the last event no longer count."""
    summary, _escalation = await current_summary(scope, client)
    return derive_state(summary, scope.policy, last_decision(client)), summary


def active_incidents(scope: Scope, client: Client, incidents: list[Incident]) -> list[Incident]:
    """The reports among ``incidents`` that are active strikes now."""
    return [
        incident
        for incident in incidents
        if is_active(strike_of(incident), scope.policy, scope.now, client.strikes_reset_at)
    ]


def strike_of(incident: Incident) -> Strike:
    """What the strike rule needs to know of a report."""
    return Strike(
        Severity(incident.severity),
        incident.occurred_at,
        incident.recorded_at,
        voided=incident.voided_at is not None,
    )


def last_decision(client: Client) -> LastDecision | None:
    """The client's most recent decision, if any."""
    if client.last_decision is None or client.last_decision_at is None:
        return None
    return LastDecision(Decision(client.last_decision), client.last_decision_at)


async def lock_current(scope: Scope, client_id: int) -> Client:
    """Lock the client's row and catch its state up with time before a change is made.

    Strikes expire by time passing, not by an event, so an escalation may have gone stale since
    the last change; it is closed as ``expired`` here, so that the change that follows is judged
    on its own (a red report after the old strikes expired opens a new escalation).
    """
    client, _caught_up = await lock_counted(scope, client_id)
    return client


async def lock_counted(scope: Scope, client_id: int) -> tuple[Client, Outcome]:
    """``lock_current``, with the client's strikes as counted then: a change that adds one
    strike builds on them (``counted_with``) instead of counting again."""
    client = await scope.uow.clients.lock(scope.tenant.id, client_id)
    if client is None:
        raise LookupError(f"client {client_id} of tenant {scope.tenant.id} vanished")
    return client, await apply_policy(scope, client, closing=EscalationStatus.EXPIRED)


def counted_with(scope: Scope, client: Client, counted: Outcome, incident: Incident) -> Counted:
    """The client's strikes and open escalation once ``incident`` is added to ``counted``
    (what ``lock_counted`` found, in the same transaction, the client locked since)."""
    summary = with_strike(
        counted.summary, strike_of(incident), scope.policy, scope.now, client.strikes_reset_at
    )
    return Counted(summary, counted.escalation_id)


async def apply_policy(
    scope: Scope,
    client: Client,
    *,
    closing: EscalationStatus,
    trigger_incident_id: int | None = None,
    counted: Counted | None = None,
) -> Outcome:
    """Bring the client's state up to date; open or close its escalation to match.

    Call with the client row locked (``lock_current``) so two requests cannot both see
    "no open escalation". ``closing`` is the status an open escalation gets when the client
    is no longer over the threshold. The strikes are counted in the database unless
    ``counted`` already holds them (``counted_with``).
    """
    summary, escalation_id = counted or await current_summary(scope, client)
    previous = ClientState(client.state)
    state = derive_state(summary, scope.policy, last_decision(client))
    if state != previous:
        client.state = state.value
        client.state_changed_at = scope.now
        await scope.uow.clients.save(client)
        await scope.audit(
            "client.state_changed",
            subject=("client", str(client.id)),
            previous=previous.value,
            state=state.value,
        )
    queued: tuple[OutboxMessage, ...] = ()
    opened = False
    if state is ClientState.THRESHOLD and escalation_id is None:
        escalation, queued = await open_escalation(scope, client, summary, trigger_incident_id)
        escalation_id, opened = escalation.id, True
    elif state is not ClientState.THRESHOLD and escalation_id is not None:
        await close_escalation(scope, escalation_id, closing, state=state.value)
        escalation_id = None
    return Outcome(client.id or 0, previous, state, summary, escalation_id, opened, queued)


async def reapply_everywhere(scope: Scope) -> list[Outcome]:
    """Apply a changed threshold or window to every client it can affect.

    Returns the outcomes where the state changed. Clients with no active strike and no
    threshold state are left alone: a new number cannot change them.
    """
    rows = await scope.uow.clients.with_strikes(
        scope.tenant.id, window_start=scope.policy.window_start(scope.now)
    )
    changed = []
    for row in rows:
        if (
            row.active_strikes == 0
            and row.client.flagged_at is None
            and row.client.state not in _STRIKE_STATES
        ):
            continue
        client = await scope.uow.clients.lock(scope.tenant.id, row.client.id or 0)
        if client is None:
            continue
        outcome = await apply_policy(scope, client, closing=EscalationStatus.POLICY_CHANGED)
        if outcome.state != outcome.previous or outcome.opened:
            changed.append(outcome)
    return changed


_STRIKE_STATES = {ClientState.WATCH.value, ClientState.THRESHOLD.value}
