"""``/client settings``: the tenant's settings, and for managers the messages Yellowcard could
not deliver."""

from skills.commands import ShowSettings
from skills.core.access import is_manager, managers_named
from skills.core.scope import Scope
from skills.replies import (
    Fact,
    Facts,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.settings.hourly_cost import hourly_cost_text
from skills.settings.listening import listening_facts
from skills.settings.values import SETTING_NAMES
from skills.text.times import weekday_name
from storage.models import Tenant

PARKED_SHOWN = 3


async def show_settings(scope: Scope, _command: ShowSettings) -> Reply:
    """The settings as they are, for anyone on the staff to read."""
    t = scope.t
    tenant = scope.tenant
    # Named as mentions: each surface draws them as its own (a Slack or Teams mention).
    managers = t.list_of(managers_named(tenant)) or t._("the workspace's admins")
    overrides = t.list_of(f"{key}={value}" for key, value in tenant.severity_overrides.items())
    facts = (
        Fact(t._("Managers"), managers),
        Fact(t._("Strikes to cross the threshold"), t.number(tenant.threshold)),
        Fact(t._("Days a strike stays active"), t.number(tenant.window_days)),
        Fact(t._("Days between reminders"), t.number(tenant.reminder_days)),
        Fact(t._("Days overdue before unpaid is red"), t.number(tenant.non_payment_red_after_days)),
        Fact(t._("Severity overrides"), overrides or "—"),
        Fact(t._("Cost of a support hour"), hourly_cost_text(t, tenant)),
        Fact(t._("Timezone"), tenant.timezone),
        Fact(t._("Language"), tenant.language),
        Fact(
            t._("Weekly summary"),
            t._(
                "every {day} at {time} in {channels}",
                channels=t.list_of(tenant.summary_channels),
                day=weekday_name(t, tenant.summary_weekday),
                time=tenant.summary_time,
            )
            if tenant.summary_channels
            else t._("not posted (choose channels with summary-channels)"),
        ),
        *listening_facts(t, tenant, lambda day: weekday_name(t, day)),
    )
    # Recipients and platform errors are for managers, who can act on them.
    parked = (
        await scope.uow.outbox.parked(tenant.id, limit=PARKED_SHOWN)
        if is_manager(tenant, scope.actor)
        else []
    )
    undelivered = (
        [
            Paragraph(
                t._("Messages Yellowcard could not deliver (see docs/operations.md):")
                + "\n"
                + "\n".join(
                    f"• {message.kind} → {message.recipient_id}: {message.last_error or ''}"
                    for message in parked
                )
            )
        ]
        if parked
        else []
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Settings")),
            Facts(facts),
            *undelivered,
            Paragraph(
                t._(
                    "Managers change a setting with /client settings <name> <value>. "
                    "Names: {names}.",
                    names=t.list_of(SETTING_NAMES),
                )
            ),
        ),
        data={"settings": settings_data(tenant), "undelivered": [message.id for message in parked]},
    )


def settings_data(tenant: Tenant) -> dict[str, object]:
    """The machine-readable settings."""
    return {
        "managers": list(tenant.manager_ids),
        "threshold": tenant.threshold,
        "window_days": tenant.window_days,
        "reminder_days": tenant.reminder_days,
        "non_payment_red_after_days": tenant.non_payment_red_after_days,
        "severity_overrides": dict(tenant.severity_overrides),
        "timezone": tenant.timezone,
        "language": tenant.language,
        "hourly_cost": None if tenant.hourly_cost is None else str(tenant.hourly_cost),
        "currency": tenant.currency,
        "summary_channels": list(tenant.summary_channels),
        "summary_weekday": tenant.summary_weekday,
        "summary_time": tenant.summary_time,
        "business_hours": tenant.business_hours,
        "business_days": list(tenant.business_days),
        "escalation_people": list(tenant.escalation_people),
        "ghosting_days": tenant.ghosting_days,
        "signal_retention_days": tenant.signal_retention_days,
        "abuse_extra_terms": list(tenant.abuse_extra_terms),
        "abuse_allowed": list(tenant.abuse_allowed),
    }
