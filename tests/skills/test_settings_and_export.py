"""Settings change the policy for everyone; export returns the whole record."""

from skills.replies import ReplyKind
from tests.support.scenarios import cross, new_client
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


async def test_export_holds_everything(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    await workspace.say(f"/client void {first} wrong client", as_user="maria")
    await workspace.say('/report-client "Acme Corp" abuse shouted at Ana')
    await workspace.say('/client decide "Acme Corp" offboarding after the call', as_user="maria")
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert export["client"]["name"] == "Acme Corp"
    assert len(export["incidents"]) == 4  # the note that created the client, and three more
    voided = [row for row in export["incidents"] if row["voided_at"]]
    assert [(row["id"], row["void_reason"]) for row in voided] == [(first, "wrong client")]
    assert [row["status"] for row in export["escalations"]] == ["withdrawn", "decided"]
    assert [row["kind"] for row in export["decisions"]] == ["offboarding"]
    pings = [row for row in export["outbox"] if row["kind"] == "manager_ping"]
    assert {row["recipient_id"] for row in pings} == {"maria"}
    actions = [event["action"] for event in export["audit"]]
    for expected in ("report.filed", "report.voided", "escalation.opened", "decision.recorded"):
        assert expected in actions


async def test_export_is_for_managers(workspace: Workspace) -> None:
    await new_client(workspace)
    refused = await workspace.say('/client export "Acme Corp"', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED


async def test_help_in_each_language(workspace: Workspace) -> None:
    headings = set()
    for locale in ("en", "es", "ja", "zh-TW"):
        reply = await workspace.say("/client help", locale=locale)
        headings.add(reply.blocks[0].text)  # type: ignore[union-attr]
    assert len(headings) == 4


async def test_unknown_command_answers_with_help(workspace: Workspace) -> None:
    # In the shell there is no channel to link: said plainly.
    reply = await workspace.say("/client link Acme")
    assert reply.data["error"] == "no_channel"
    reply = await workspace.say("/clients")
    assert reply.data["error"] == "unknown_command"


async def test_hourly_cost_and_currency(workspace: Workspace) -> None:
    reply = await workspace.say("/client settings hourly-cost 72,50", as_user="maria", locale="es")
    assert reply.data["settings"]["hourly_cost"] == "72.50"
    reply = await workspace.say("/client settings currency eur", as_user="maria")
    assert reply.data["settings"]["currency"] == "EUR"
    for bad in ("hourly-cost lots", "hourly-cost -5", "currency euros"):
        assert (
            await workspace.say(f"/client settings {bad}", as_user="maria")
        ).kind is ReplyKind.ERROR
