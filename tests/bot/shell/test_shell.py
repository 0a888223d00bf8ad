"""``yellowcard shell`` end to end, as a subprocess, reading its JSON replies."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skills.assessment.bank import bank

YELLOWCARD = Path(sys.executable).parent / "yellowcard"


class Shell:
    """Runs ``yellowcard shell`` in a folder of its own, on its own SQLite database."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'shell.db'}"}
        self.env.pop("LOG_LEVEL", None)

    def run(self, *args: str, answers: str = "", code: int = 0) -> str:
        """Run with ``args`` and piped ``answers``; check the exit code; return stdout."""
        done = subprocess.run(
            [str(YELLOWCARD), "shell", *args],
            input=answers,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.folder,
            timeout=60,
            check=False,
        )
        assert done.returncode == code, done.stderr
        return done.stdout

    def __call__(
        self, command: str, *, user: str = "ana", answers: str = "", code: int = 0
    ) -> list[dict[str, Any]]:
        """Run one command as ``user`` with ``--json``; the replies, one per line."""
        out = self.run("--user", user, "--json", "-c", command, answers=answers, code=code)
        return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    """A shell on a fresh local tenant."""
    return Shell(tmp_path)


def test_the_foundation_story(shell: Shell) -> None:
    # ana is the first user of the local tenant, so she is its manager.
    created = shell('/report-client "Acme Corp" scope_creep asked for more', answers="1\n")
    assert created[0]["data"]["error"] == "unknown_client"
    first = created[-1]["data"]
    assert (first["client"]["state"], first["client"]["active_strikes"]) == ("watch", 1)

    second = shell('/report-client "acme corp" moving_goalposts changed the brief', user="tom")[0]
    assert second["data"]["client"]["state"] == "threshold"
    assert second["data"]["escalation_opened"] is True
    assert [m["recipient"] for m in second["data"]["outbox"]] == ["ana"]

    refused = shell(f"/client void {first['incident_id']} mistake", user="tom", code=1)[0]
    assert refused["kind"] == "refused"
    voided = shell(f"/client void {first['incident_id']} filed on the wrong client")[0]
    assert voided["data"]["client"]["state"] == "watch"

    globex = shell("/report-client Globex abuse shouted at Ana on the phone", answers="1\n")[-1]
    assert globex["data"]["severity"] == "red"
    assert globex["data"]["client"]["state"] == "threshold"
    assert globex["data"]["escalation_opened"] is True

    export = shell('/client export "Acme Corp"')[0]["data"]["export"]
    assert len(export["incidents"]) == 2
    assert [row["status"] for row in export["escalations"]] == ["withdrawn"]
    # The ping, and the refresh that updates its copies once the escalation closed.
    assert [(row["kind"], row["recipient_id"]) for row in export["outbox"]] == [
        ("manager_ping", "ana"),
        ("escalation_refresh", "*"),
    ]
    assert any(
        event["action"] == "report.void" and event["outcome"] == "refused"
        for event in export["audit"]
    )


def test_missing_fields_are_prompted(shell: Shell) -> None:
    # Severity, when, the link, the quote, its author, when written; no days overdue, which
    # matter only for unpaid invoices.
    optional_fields = 6
    answers = "\n".join(["Initech", "8", "wants a fourth dashboard"] + [""] * optional_fields)
    answers += "\n1\n"  # then take the "create Initech" button
    replies = shell("/report-client", answers=answers)
    assert replies[0]["kind"] == "form"
    assert replies[-1]["data"]["category"] == "scope_creep"
    assert replies[-1]["data"]["client"]["name"] == "Initech"


def test_input_ending_leaves_the_form_unfiled(shell: Shell) -> None:
    replies = shell("/report-client Initech", code=1)
    assert [reply["kind"] for reply in replies] == ["form"]


def test_unknown_category_is_explained_in_the_users_language(shell: Shell) -> None:
    out = shell.run("--user", "ana", "--locale", "es", "-c", "/report-client Acme rude x", code=1)
    assert "no es una categoría" in out
    assert "scope_creep" in out


def test_repl_runs_lines_until_quit(shell: Shell) -> None:
    out = shell.run("--user", "ana", answers="/client help\n/client list\nquit\n/client list\n")
    assert "== Yellowcard commands ==" in out
    assert out.count("== Clients by risk ==") == 1


def test_the_assessment_in_the_shell(shell: Shell) -> None:
    shell('/report-client "Acme Corp" scope_creep asked for more', answers="1\n")
    lines = []
    for _group, questions in bank().groups:
        lines += ["3"] * len(questions)  # "Often", the third choice
        lines.append("")  # then: next (the default)
    # The value step: the cost of a support hour and its currency (asked of a manager while
    # the workspace has none), the amounts, then four "No"s.
    lines += ["60", "EUR", "3000", "10", "2", "2", "2", "2", ""]
    replies = shell('/client assess "Acme Corp"', answers="\n".join(lines) + "\n")
    steps = [reply["data"]["step"] for reply in replies if reply["kind"] == "form"]
    assert steps == list(range(1, len(bank().steps) + 1))
    result = replies[-1]["data"]
    assert result["recommendation"] == "part_ways"  # "often" on the zero-tolerance questions
    assert result["risk"] == 100
    assert result["value_ratio"] == 5.0


def test_result_buttons_are_offered_too(shell: Shell) -> None:
    # "1" creates the client; the next "1" is the report's first button, Undo.
    replies = shell('/report-client "Acme Corp" scope_creep by mistake', answers="1\n1\n")
    assert replies[-2]["data"]["client"]["active_strikes"] == 1
    assert replies[-1]["data"]["client"]["active_strikes"] == 0


def test_managers_are_written_as_at_ids(shell: Shell) -> None:
    out = shell.run("--user", "ana", "-c", "/client settings")
    assert "Managers" in out
    assert "@ana" in out
    [settings] = shell("/client settings")
    facts = {fact["label"]: fact["value"] for fact in settings["blocks"][1]["items"]}
    assert facts["Managers"] == "@ana"
    assert "\ufdd0" not in json.dumps(settings)


def test_what_waits_on_the_managers(shell: Shell) -> None:
    # ana, the first user, is the manager; tom's two reports take Acme over the threshold,
    # and tom, made its account owner, disputes the first strike.
    shell("/client help")
    first = shell(
        '/report-client "Acme Corp" scope_creep asked for more', user="tom", answers="1\n"
    )
    first_id = first[-1]["data"]["incident_id"]
    shell('/report-client "Acme Corp" moving_goalposts changed the brief', user="tom")
    shell('/client owner "Acme Corp" tom')
    shell(f"/client dispute {first_id} it was our bug", user="tom")

    [waiting] = shell("/client waiting")
    assert [item["trigger_incident_id"] for item in waiting["data"]["escalations"]] == [
        first_id + 1
    ]
    assert [item["incident_id"] for item in waiting["data"]["disputes"]] == [first_id]
    out = shell.run("--user", "ana", "-c", "/client waiting")
    assert "== Decisions waiting ==" in out
    assert "Acme Corp: over the threshold since" in out
    assert f"tom disputes report #{first_id}: it was our bug" in out
    assert "[1] Decide" in out
    assert "[2] Keep the strike  [3] Void the strike" in out
    spanish = shell.run("--user", "ana", "--locale", "es", "-c", "/client waiting")
    assert "== Decisiones pendientes ==" in spanish
    assert "supera el umbral desde el" in spanish

    [refused] = shell("/client waiting", user="tom", code=1)
    assert refused["kind"] == "refused"


def test_a_report_cut_short_is_read_in_full_from_its_button(shell: Shell) -> None:
    first = "wants a fourth dashboard, then a fifth, and all of it free. " * 8
    second = "changed the brief again after we signed it off together. " * 8
    shell(f'/report-client "Acme Corp" scope_creep {first}', answers="1\n")
    shell(f'/report-client "Acme Corp" moving_goalposts {second}')
    # Each report's button has its own number across the reply: "2" reads the second one
    # listed, the older report.
    out = shell.run("--user", "ana", "-c", '/client history "Acme Corp"', answers="2\n")
    assert "[1] Read report #2 in full" in out
    assert "[2] Read report #1 in full" in out
    history, whole = out.split("== Report #1 about Acme Corp ==")
    assert first.strip() not in history
    assert f"Details: {first.strip()}" in whole
    assert "by ana" in whole

    card = shell.run("--user", "tom", "--locale", "es", "-c", '/client "Acme Corp"', answers="1\n")
    assert "Detalles: changed the brief again" in card
    assert "[1] Ver el reporte #2 completo" in card
    assert f"Detalles: {second.strip()}" in card.split("== Reporte #2 sobre Acme Corp ==")[1]
    assert "por alguien del equipo" in card
    assert "por ana" not in card
