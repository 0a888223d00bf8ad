"""``yellowcard api-token create|list|revoke``: an operator's tokens for the signals API; the
token alone on the last line of ``create``, shown only there."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

YELLOWCARD = Path(sys.executable).parent / "yellowcard"


def _yellowcard(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'cli.db'}"}
    return subprocess.run(
        [str(YELLOWCARD), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=60,
        check=False,
    )


def _rows(folder: Path) -> list[tuple[str, str, bool]]:
    with sqlite3.connect(folder / "cli.db") as database:
        rows = database.execute(
            "SELECT name, token_hash, revoked_at IS NULL FROM apitoken ORDER BY id"
        ).fetchall()
    return [(name, digest, bool(active)) for name, digest, active in rows]


def test_an_operator_makes_lists_and_revokes_a_token(tmp_path: Path) -> None:
    assert _yellowcard(tmp_path, "shell", "-c", "/client help").returncode == 0
    made = _yellowcard(tmp_path, "api-token", "create", "--tenant", "local", "--name", "zendesk")
    assert made.returncode == 0, made.stderr
    token = made.stdout.splitlines()[-1]
    assert token.startswith("yc_")
    assert token not in made.stderr
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert _rows(tmp_path) == [("zendesk", digest, True)]

    listed = _yellowcard(tmp_path, "api-token", "list", "--tenant", "local")
    assert listed.stdout.startswith("zendesk\tactive\tmade ")
    assert listed.stdout.rstrip().endswith("last used never")
    assert token not in listed.stdout

    taken = _yellowcard(tmp_path, "api-token", "create", "--tenant", "local", "--name", "zendesk")
    assert taken.returncode == 2
    assert "already called" in taken.stderr

    revoked = _yellowcard(tmp_path, "api-token", "revoke", "--tenant", "local", "--name", "zendesk")
    assert revoked.returncode == 0, revoked.stderr
    assert "refused from now on" in revoked.stdout
    assert _rows(tmp_path) == [("zendesk", digest, False)]
    listed = _yellowcard(tmp_path, "api-token", "list", "--tenant", "local")
    assert listed.stdout.startswith("zendesk\trevoked ")


def test_an_unknown_tenant_or_a_bad_name_is_refused(tmp_path: Path) -> None:
    nobody = _yellowcard(tmp_path, "api-token", "create", "--tenant", "slack:T0", "--name", "x")
    assert nobody.returncode == 2
    assert "there is no tenant 'slack:T0'" in nobody.stderr
    assert _yellowcard(tmp_path, "shell", "-c", "/client help").returncode == 0
    bad = _yellowcard(tmp_path, "api-token", "create", "--tenant", "local", "--name", "a b")
    assert bad.returncode == 2
    assert "letters, digits" in bad.stderr
    missing = _yellowcard(tmp_path, "api-token", "revoke", "--tenant", "local", "--name", "x")
    assert missing.returncode == 2
    assert _yellowcard(tmp_path, "api-token", "list", "--tenant", "local").stdout == "no tokens\n"
