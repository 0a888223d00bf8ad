"""``/client settings <name> <value>``: a manager changes a setting. A threshold or window change
is previewed first (who would cross or fall back), then applied to every client."""

import dataclasses
from decimal import Decimal

from skills.commands import ChangeSetting, ShowSettings
from skills.core.access import is_manager, require_manager
from skills.core.scope import Scope
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.settings.hourly_cost import is_set
from skills.settings.show import settings_data, show_settings
from skills.settings.values import CHANGES, SETTING_NAMES
from skills.strikes.apply import count_at_threshold, reapply_everywhere
from storage.models import Tenant

# Settings that change which clients are over the threshold today, not only future reports.
_REAPPLIED = {"threshold", "window"}


async def change_setting(scope: Scope, command: ChangeSetting) -> Reply:
    """Change one setting after checking the value; audited with the old and new values."""
    refused = await require_manager(scope, "settings.change", ("setting", command.name))
    if refused:
        return refused
    tenant = await scope.uow.tenants.lock(scope.tenant.id)
    assert tenant is not None, "the scope's tenant exists"
    scope.tenant = tenant
    before = settings_data(tenant)
    before_count = await count_at_threshold(scope) if command.name in _REAPPLIED else 0
    change = CHANGES.get(command.name)
    problem = (
        change(scope, tenant, command.value.strip())
        if change
        else scope.t._(
            "There is no setting {name}. Settings: {names}.",
            name=scope.t.quote(command.name),
            names=scope.t.list_of(SETTING_NAMES),
        )
    )
    if problem:
        return Reply(
            kind=ReplyKind.ERROR,
            blocks=(Paragraph(problem),),
            data={"error": "invalid_setting", "setting": command.name},
        )
    if command.name in _REAPPLIED and not command.confirmed:
        # Nothing is saved: leaving without a commit rolls the change back.
        return await _preview(scope, command, before_count)
    await _record(scope, tenant, command.name, before)
    changed = await reapply_everywhere(scope) if command.name in _REAPPLIED else []
    await scope.uow.commit()
    shown = await show_settings(scope, ShowSettings())
    if command.name not in _REAPPLIED:
        return shown
    note = Paragraph(
        scope.t.n_(
            "{count} client changed state under the new setting.",
            "{count} clients changed state under the new setting.",
            len(changed),
        )
    )
    data = {**shown.data, "changed_clients": [outcome.client_id for outcome in changed]}
    return Reply(kind=shown.kind, blocks=(*shown.blocks, note), data=data)


async def fill_hourly_cost(scope: Scope, amount: Decimal, currency: str) -> bool:
    """Set the cost of a support hour and its currency from the assessment's question to a
    manager, audited as ``/client settings hourly-cost`` is; only while they are not both set
    (what a manager set meanwhile stands). Whether they were set."""
    if not is_manager(scope.tenant, scope.actor):
        return False
    tenant = await scope.uow.tenants.lock(scope.tenant.id)
    assert tenant is not None, "the scope's tenant exists"
    scope.tenant = tenant
    if is_set(tenant):
        return False
    before = settings_data(tenant)
    tenant.hourly_cost, tenant.currency = amount, currency
    await _record(scope, tenant, "hourly-cost", before, source="assessment")
    return True


async def _record(
    scope: Scope, tenant: Tenant, name: str, before: dict[str, object], **detail: str
) -> None:
    """Save the changed tenant and audit the change with the settings before and after."""
    await scope.uow.tenants.save(tenant)
    after = settings_data(tenant)
    await scope.audit(
        "settings.changed", subject=("setting", name), before=before, after=after, **detail
    )


async def _preview(scope: Scope, command: ChangeSetting, before_count: int) -> Reply:
    """What the new threshold or window would do, with the button that saves it."""
    t = scope.t
    after_count = await count_at_threshold(scope)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Before you save {name} {value}", name=command.name, value=command.value)),
            Paragraph(
                t.n_(
                    "Under the new setting {count} client would be over the threshold "
                    "(now: {now}).",
                    "Under the new setting {count} clients would be over the threshold "
                    "(now: {now}).",
                    after_count,
                    now=t.number(before_count),
                )
            ),
            Actions(
                (
                    Button(
                        t._("Save the change"),
                        dataclasses.replace(command, confirmed=True),
                        ButtonStyle.PRIMARY,
                    ),
                )
            ),
            Paragraph(
                t._(
                    "Nothing is saved yet. Without buttons, add {word}: "
                    "/client settings {name} {value} confirm",
                    word=t.quote("confirm"),
                    name=command.name,
                    value=command.value,
                )
            ),
        ),
        data={
            "preview": True,
            "setting": command.name,
            "value": command.value,
            "at_threshold_now": before_count,
            "at_threshold_after": after_count,
        },
    )
