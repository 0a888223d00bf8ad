"""The weekly summary's numbers against a data set built by hand, and its schedule."""

from datetime import UTC, datetime, timedelta

import pytest

from skills.clients.lookup import find_client
from skills.core.scope import open_scope
from skills.summary.schedule import summary_period
from skills.text.i18n import translator
from skills.text.times import parse_time_of_day, parse_weekday
from storage.models import Tenant
from tests.support.scenarios import cross, new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_the_numbers_of_a_hand_built_fortnight(workspace: Workspace) -> None:
    ws = workspace
    # Last week: two new clients (each created with a note) and a strike each.
    await new_client(ws, "Acme Corp")
    await new_client(ws, "Globex")
    await ws.say('/report-client "Acme Corp" scope_creep a third free dashboard')
    await ws.say("/report-client Globex underpaying wants a discount on delivered work")
    ws.clock.advance(days=7)
    # This week: Acme crosses (both strikes Ana's), Initech crosses on abuse, Globex crosses.
    acme = await ws.say('/report-client "Acme Corp" moving_goalposts new brief again')
    await new_client(ws, "Initech")
    await ws.say("/report-client Initech abuse shouted at Ana", as_user="tom")
    await ws.say("/report-client Globex scope_creep more pages", as_user="tom")
    await ws.say("/client decide Globex keep_on_terms new contract", as_user="maria")
    ws.clock.advance(days=2)

    summary = await ws.say("/client summary", as_user="maria")
    data = summary.data
    assert (data["new_reports"], data["previous_reports"]) == (4, 4)
    assert data["by_category"] == {
        "moving_goalposts": 1,
        "expectation_mismatch": 1,
        "abuse": 1,
        "scope_creep": 1,
    }
    assert len(data["crossed"]) == 3
    assert len(data["waiting"]) == 2  # Globex was decided
    assert data["staff_safety"] == 1
    assert [(row["strikes"], row["reds"], row["trend"]) for row in data["riskiest"]] == [
        (1, 1, 1),  # Initech: one red, new this week
        (2, 0, 1),  # Acme
        (2, 0, 1),  # Globex
    ]
    assert data["riskiest"][1]["client_id"] == acme.data["client"]["id"]
    assert data["one_reporter"] == [acme.data["client"]["id"]]
    assert data["recurring"] == [
        {"category": "expectation_mismatch", "clients": 3},
        {"category": "scope_creep", "clients": 2},
    ]
    assert data["quiet"] is False
    text = paragraph_text(summary)
    # The summary goes to channels the whole staff reads: the reporter is not named there.
    assert "One teammate filed 2 of the 2 active strikes from reports" in text
    assert "Ana" not in text
    assert "Initech: 1 active strike (1 red card), ↑ +1, Over the threshold" in text
    assert "Seen again and again in clients who crossed the threshold" in text
    # Lists read as the language writes them: "a, b, and c"; "a and b".
    assert "Crossed this week: Acme Corp, Initech, and Globex" in text
    assert "Wants what we don't offer (3 clients) and Scope creep (2 clients)" in text


async def test_a_reset_during_the_week_shows_as_a_falling_trend(workspace: Workspace) -> None:
    await cross(workspace)  # two strikes on Acme, last week
    workspace.clock.advance(days=8)
    await workspace.say('/client decide "Acme Corp" cleared we fixed the contract', as_user="maria")
    workspace.clock.advance(days=1)
    await workspace.say('/report-client "Acme Corp" scope_creep asked again')
    summary = await workspace.say("/client summary", as_user="maria")
    [acme] = summary.data["riskiest"]
    assert (acme["strikes"], acme["trend"]) == (1, -1)


async def test_an_assessment_flag_counts_among_the_riskiest(workspace: Workspace) -> None:
    await new_client(workspace, "Acme Corp")
    async with open_scope(workspace.services, workspace.person("maria")) as scope:
        client = await find_client(scope, "Acme Corp")
        assert client is not None
        client.flagged_at = scope.now
        await scope.uow.clients.save(client)
        await scope.uow.commit()
    summary = await workspace.say("/client summary", as_user="maria")
    assert [(row["strikes"], row["reds"]) for row in summary.data["riskiest"]] == [(1, 1)]


async def test_a_quiet_week_says_so(workspace: Workspace) -> None:
    summary = await workspace.say("/client summary", as_user="maria")
    assert summary.data["quiet"] is True
    assert "A quiet week" in paragraph_text(summary)


async def test_only_managers_ask_for_a_summary(workspace: Workspace) -> None:
    refused = await workspace.say("/client summary preview", as_user="ana")
    assert refused.kind.value == "refused"


def _tenant(weekday: int = 0, time: str = "09:00", timezone: str = "Europe/Madrid") -> Tenant:
    return Tenant(
        id="t",
        platform="slack",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        timezone=timezone,
        summary_weekday=weekday,
        summary_time=time,
    )


def test_the_period_is_the_iso_week_in_the_tenants_timezone() -> None:
    # Monday 2026-11-23 08:30 UTC is 09:30 in Madrid: this week's summary was due at 08:00 UTC.
    period = summary_period(datetime(2026, 11, 23, 8, 30, tzinfo=UTC), _tenant())
    assert period.key == "2026-W48"
    assert period.due == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert period.start == period.due - timedelta(days=7)
    # Sunday 23:30 UTC is already Monday 08:30 in Tokyo: this week's summary is not due yet.
    tokyo = _tenant(timezone="Asia/Tokyo")
    early = summary_period(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), tokyo)
    assert early.key == "2026-W47"
    due = summary_period(datetime(2026, 11, 23, 0, 0, tzinfo=UTC), tokyo)
    assert (due.key, due.due) == ("2026-W48", datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    # Before Friday's time this week, the latest due summary is last Friday's.
    friday = summary_period(datetime(2026, 11, 23, 8, 30, tzinfo=UTC), _tenant(weekday=4))
    assert (friday.key, friday.due) == ("2026-W47", datetime(2026, 11, 20, 8, 0, tzinfo=UTC))


def test_a_summary_due_late_sunday_is_caught_up_after_midnight() -> None:
    sunday_late = _tenant(weekday=6, time="23:30", timezone="UTC")
    period = summary_period(datetime(2026, 11, 23, 0, 10, tzinfo=UTC), sunday_late)
    assert (period.key, period.due) == ("2026-W47", datetime(2026, 11, 22, 23, 30, tzinfo=UTC))


def test_the_week_spans_a_change_of_daylight_saving_time_exactly() -> None:
    # Madrid left summer time on 25 October 2026: 09:00 was 07:00 UTC before, 08:00 after.
    period = summary_period(datetime(2026, 10, 26, 9, 0, tzinfo=UTC), _tenant())
    assert period.due == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert period.start == datetime(2026, 10, 19, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "weekday"),
    [
        ("monday", "en", 0),
        ("1", "en", 0),
        ("7", "en", 6),
        ("viernes", "es", 4),
        ("Fri", "en", 4),
        ("水曜日", "ja", 2),
        ("星期五", "zh-Hant", 4),
        ("funday", "en", None),
        ("8", "en", None),
    ],
)
def test_weekdays_in_any_language(text: str, language: str, weekday: int | None) -> None:
    assert parse_weekday(text, translator(language)) == weekday


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("9", "09:00"),
        ("9:30", "09:30"),
        ("16:05", "16:05"),
        ("24:00", None),
        ("9:60", None),
        ("noon", None),
    ],
)
def test_times_of_day(text: str, time: str | None) -> None:
    assert parse_time_of_day(text) == time
