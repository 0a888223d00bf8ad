"""``yellowcard install``: an operator records a tenant's installation with a manager, the way
out when Teams never announced the install (docs/teams.md)."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

YELLOWCARD = Path(sys.executable).parent / "yellowcard"
ANA = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
BRUNO = "0d3c1e1a-6f4e-4c8b-9a55-2b1f6c1e7a10"


def _install(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'cli.db'}"}
    return subprocess.run(
        [str(YELLOWCARD), "install", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=60,
        check=False,
    )


def _managers(folder: Path, tenant: str) -> list[str]:
    with sqlite3.connect(folder / "cli.db") as database:
        row = database.execute("SELECT manager_ids FROM tenant WHERE id = ?", (tenant,)).fetchone()
    return list(json.loads(row[0]))


def test_an_operator_records_an_installation_then_adds_a_manager(tmp_path: Path) -> None:
    tenant = f"teams:{uuid.uuid4()}"
    first = _install(tmp_path, "--tenant", tenant, "--manager", ANA, "--language", "es")
    assert first.returncode == 0, first.stderr
    assert (
        first.stdout.strip() == f"recorded the installation of {tenant}; its first manager is {ANA}"
    )
    again = _install(tmp_path, "--tenant", tenant, "--manager", BRUNO)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"{tenant} was already installed; {BRUNO} is one of its managers"
    assert _managers(tmp_path, tenant) == [ANA, BRUNO]


def test_what_is_not_a_tenant_or_a_manager_is_refused(tmp_path: Path) -> None:
    for args, said in (
        (("--tenant", "acme", "--manager", ANA), "the tenant is teams:<Entra tenant id>"),
        (
            ("--tenant", "teams:t1", "--manager", "Ana"),
            "the manager is a Microsoft Entra object id",
        ),
        (("--tenant", "slack:T1", "--manager", ANA), "the manager is a Slack user id"),
        (("--tenant", "teams:t1", "--manager", ANA, "--language", "fr"), "does not speak"),
    ):
        done = _install(tmp_path, *args)
        assert done.returncode == 2, args
        assert said in done.stderr, done.stderr
