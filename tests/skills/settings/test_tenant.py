"""The tenant's settings: the policy, managers, language, timezone and costs; managers change
them, for everyone, and a lower threshold escalates the clients it puts over it."""

import asyncio

from skills.core.context import Services
from skills.dispatch import handle
from skills.replies import Actions, Facts, Reply, ReplyKind
from skills.text.command_parser import parse_command
from skills.text.i18n import translator
from storage.tenant_cache import CACHE_SECONDS
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_threshold_setting_applies(workspace: Workspace) -> None:
    changed = await workspace.say("/client settings threshold 3 confirm", as_user="maria")
    assert changed.data["settings"]["threshold"] == 3
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep one')
    two = await workspace.say('/report-client "Acme Corp" scope_creep two')
    assert two.data["client"]["state"] == "watch"


async def test_severity_override_changes_the_default(workspace: Workspace) -> None:
    await workspace.say("/client settings severity public_attack red", as_user="maria")
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" public_attack 1-star review')
    assert reply.data["severity"] == "red"
    await workspace.say("/client settings severity public_attack default", as_user="maria")
    reply = await workspace.say('/report-client "Acme Corp" public_attack another')
    assert reply.data["severity"] == "yellow"


async def test_bad_settings_are_explained(workspace: Workspace) -> None:
    for text in (
        "/client settings threshold 0",
        "/client settings window lots",
        "/client settings timezone Mars/Olympus",
        "/client settings language klingon",
        "/client settings severity nope red",
        "/client settings colour blue",
        "/client settings managers remove maria",
    ):
        reply = await workspace.say(text, as_user="maria")
        assert reply.kind is ReplyKind.ERROR, text
    settings = await workspace.say("/client settings")
    assert settings.data["settings"]["managers"] == ["maria"]
    assert settings.data["settings"]["threshold"] == 2


async def test_managers_and_non_managers(workspace: Workspace) -> None:
    refused = await workspace.say("/client settings threshold 5", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    await workspace.say("/client settings managers add @ana", as_user="maria")
    allowed = await workspace.say("/client settings threshold 5 confirm", as_user="ana")
    assert allowed.data["settings"]["threshold"] == 5
    await workspace.say("/client settings managers remove maria", as_user="ana")
    refused = await workspace.say("/client settings threshold 2", as_user="maria")
    assert refused.kind is ReplyKind.REFUSED


async def test_timezone_and_language_settings(workspace: Workspace) -> None:
    await workspace.say("/client settings timezone Asia/Tokyo", as_user="maria")
    reply = await workspace.say("/client settings language ja", as_user="maria")
    assert reply.data["settings"]["timezone"] == "Asia/Tokyo"
    assert reply.data["settings"]["language"] == "ja"


async def test_the_hourly_cost_is_unset_until_a_manager_sets_it(workspace: Workspace) -> None:
    shown = await workspace.say("/client settings", as_user="ana")
    assert (shown.data["settings"]["hourly_cost"], shown.data["settings"]["currency"]) == (
        None,
        None,
    )
    assert _facts(shown)["Cost of a support hour"] == (
        "not set (a manager sets it with /client settings hourly-cost <amount> <currency>, "
        "like /client settings hourly-cost 60 EUR)"
    )
    refused = await workspace.say("/client settings hourly-cost 60 EUR", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    alone = await workspace.say("/client settings hourly-cost 60", as_user="maria")
    assert paragraph_text(alone) == (
        "Add the currency after the amount, as its three-letter code: "
        "/client settings hourly-cost 60 EUR"
    )
    reply = await workspace.say(
        "/client settings hourly-cost 1.072,50 eur", as_user="maria", locale="es"
    )
    assert (reply.data["settings"]["hourly_cost"], reply.data["settings"]["currency"]) == (
        "1072.50",
        "EUR",
    )
    assert _facts(reply)["Costo de una hora de soporte"] == "1.072,50\xa0€ (euro)"
    async with workspace.services.unit_of_work() as uow:
        events = [
            (item.action, item.outcome, item.actor_id, item.detail)
            for item in await uow.audit.for_subject(workspace.tenant_id, "setting", "hourly-cost")
        ]
    assert [event[:3] for event in events] == [
        ("settings.change", "refused", "ana"),
        ("settings.changed", "ok", "maria"),
    ]
    changed = events[-1][3]
    assert (changed["before"]["hourly_cost"], changed["after"]["hourly_cost"]) == (
        None,
        "1072.50",
    )
    # The currency stays when only the amount changes.
    japanese = await workspace.say("/client settings hourly-cost 65", as_user="maria", locale="ja")
    assert _facts(japanese)["サポート 1 時間あたりのコスト"] == "€65.00（ユーロ）"
    yen = await workspace.say("/client settings hourly-cost 9000 JPY", as_user="maria")
    assert _facts(yen)["Cost of a support hour"] == "¥9,000 (Japanese Yen)"


async def test_a_bad_hourly_cost_or_currency_is_explained(workspace: Workspace) -> None:
    for bad in ("lots EUR", "-5 EUR", "0 EUR", "100001 EUR", "EUR"):
        reply = await workspace.say(f"/client settings hourly-cost {bad}", as_user="maria")
        assert paragraph_text(reply).startswith(
            "Write the cost of a support hour as an amount more than 0 and up to 100,000"
        ), bad
    for bad in ("euros", "DEM", "XTS", "EUR USD"):
        reply = await workspace.say(f"/client settings hourly-cost 60 {bad}", as_user="maria")
        assert paragraph_text(reply) == (
            f"“{bad}” is not a currency code. Write its three-letter ISO 4217 code, like EUR, "
            "USD or JPY."
        ), bad
    spanish = await workspace.say(
        "/client settings hourly-cost 60 pesos", as_user="maria", locale="es"
    )
    assert paragraph_text(spanish).startswith("“pesos” no es un código de moneda.")
    # One setting, amount and currency together: a currency alone would re-denominate it.
    gone = await workspace.say("/client settings currency EUR", as_user="maria")
    assert gone.data["error"] == "invalid_setting"
    shown = await workspace.say("/client settings")
    assert (shown.data["settings"]["hourly_cost"], shown.data["settings"]["currency"]) == (
        None,
        None,
    )


async def test_lowering_the_threshold_escalates_clients_now_over_it(workspace: Workspace) -> None:
    await workspace.say("/client settings threshold 3 confirm", as_user="maria")
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep one')
    two = await workspace.say('/report-client "Acme Corp" scope_creep two')
    assert two.data["client"]["state"] == "watch"
    preview = await workspace.say("/client settings threshold 2", as_user="maria")
    assert preview.data["preview"] is True
    assert (preview.data["at_threshold_now"], preview.data["at_threshold_after"]) == (0, 1)
    unchanged = await workspace.say('/client "Acme Corp"')
    assert unchanged.data["client"]["state"] == "watch"
    assert (await workspace.say("/client settings")).data["settings"]["threshold"] == 3
    save = next(block for block in preview.blocks if isinstance(block, Actions)).buttons[0]
    lowered = await workspace.run(save.command, as_user="maria")
    assert lowered.data["changed_clients"] == [two.data["client"]["id"]]
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "threshold"
    assert card.data["escalation_id"] is not None
    raised = await workspace.say("/client settings threshold 4 confirm", as_user="maria")
    assert raised.data["changed_clients"] == [two.data["client"]["id"]]
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert [row["status"] for row in export["escalations"]] == ["policy_changed"]


async def test_concurrent_manager_additions_are_all_kept(workspace: Workspace) -> None:
    await asyncio.gather(
        *(
            workspace.say(f"/client settings managers add {name}", as_user="maria")
            for name in ("bob", "carol", "dave")
        )
    )
    settings = await workspace.say("/client settings")
    assert sorted(settings.data["settings"]["managers"]) == ["bob", "carol", "dave", "maria"]


async def test_language_and_timezone_settings_change_what_people_see(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    workspace.clock.advance(hours=14)  # 23:0x UTC on 2 March is 3 March in Tokyo
    await workspace.say('/report-client "Acme Corp" scope_creep late request')
    before = await workspace.say('/client "Acme Corp"')
    assert "Mar 2, 2026" in paragraph_text(before)
    await workspace.say("/client settings timezone Asia/Tokyo", as_user="maria")
    await workspace.say("/client settings language ja", as_user="maria")
    after = await workspace.say('/client "Acme Corp"')
    assert "2026/03/03" in paragraph_text(after)
    assert after.blocks[1] != before.blocks[1]  # the facts are in Japanese now


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }


async def test_settings_read_as_the_language_writes_them(workspace: Workspace) -> None:
    await workspace.say("/client settings summary-channels #riesgos #equipo", as_user="maria")
    await workspace.say("/client settings abuse-terms add gran tonto", as_user="maria")
    shown = await workspace.say("/client settings", as_user="maria", locale="es")
    t = translator("es")
    facts = _facts(shown)
    # Weekdays in lower case mid-sentence, and lists joined the Spanish way.
    assert facts[t._("Weekly summary")].endswith("en riesgos y equipo")
    assert "lunes" in facts[t._("Weekly summary")]
    assert "lunes, martes, miércoles, jueves y viernes" in facts[t._("Business hours")]
    assert facts[t._("Extra abusive terms")] == "“gran tonto”"
    japanese = _facts(await workspace.say("/client settings", as_user="maria", locale="ja"))
    assert (
        "月曜日、火曜日、水曜日、木曜日、金曜日" in japanese[translator("ja")._("Business hours")]
    )
    assert japanese[translator("ja")._("Extra abusive terms")] == "「gran tonto」"


async def test_a_wrong_setting_name_is_quoted_the_languages_way(workspace: Workspace) -> None:
    reply = await workspace.say("/client settings colour blue", as_user="maria", locale="ja")
    assert "「colour」" in paragraph_text(reply)
    assert "threshold、window、" in paragraph_text(reply)


async def test_another_process_sees_a_new_threshold_within_the_cache_lifetime(
    workspace: Workspace,
) -> None:
    services = workspace.services
    replica = Services(services.session_factory, clock=workspace.clock)
    maria = workspace.person("maria")

    async def threshold(where: Services) -> int:
        reply = await handle(where, maria, parse_command("/client settings"))
        return int(reply.data["settings"]["threshold"])

    assert await threshold(replica) == 2  # read now: kept for CACHE_SECONDS
    await handle(services, maria, parse_command("/client settings threshold 3 confirm"))
    assert await threshold(services) == 3  # the process that changed it, at once
    workspace.clock.advance(seconds=CACHE_SECONDS - 1)
    assert await threshold(replica) == 2  # another process, until its copy is that old
    workspace.clock.advance(seconds=1)
    assert await threshold(replica) == 3
