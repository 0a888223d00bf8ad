"""``yellowcard connect`` and ``yellowcard connections list|revoke``: the path alone on the
last line of ``connect``, the secret never printed, a clear error without SECRETS_KEY."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

YELLOWCARD = Path(sys.executable).parent / "yellowcard"
KEY = Fernet.generate_key().decode()
SECRET = "whsec_cli_51c0ffee"


def _yellowcard(
    folder: Path, *args: str, key: str | None = KEY, typed: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'cli.db'}"}
    env.pop("SECRETS_KEY", None)
    if key is not None:
        env["SECRETS_KEY"] = key
    return subprocess.run(
        [str(YELLOWCARD), *args],
        capture_output=True,
        input=typed,
        text=True,
        env=env,
        cwd=folder,
        timeout=60,
        check=False,
    )


def test_an_operator_connects_lists_and_revokes(tmp_path: Path) -> None:
    assert _yellowcard(tmp_path, "shell", "-c", "/client help").returncode == 0
    made = _yellowcard(tmp_path, "connect", "stripe", "--tenant", "local", "--secret", SECRET)
    assert made.returncode == 0, made.stderr
    path = made.stdout.splitlines()[-1]
    assert path.startswith("/webhooks/stripe/")
    assert SECRET not in made.stdout + made.stderr
    with sqlite3.connect(tmp_path / "cli.db") as database:
        [(kind, sealed)] = database.execute("SELECT kind, secret_encrypted FROM connection")
    assert kind == "stripe"
    assert Fernet(KEY.encode()).decrypt(sealed.encode()).decode() == SECRET

    listed = _yellowcard(tmp_path, "connections", "list", "--tenant", "local")
    assert listed.stdout.startswith(f"{path}\tactive\tmade ")
    assert SECRET not in listed.stdout

    connection_id = path.rsplit("/", 1)[1]
    revoked = _yellowcard(tmp_path, "connections", "revoke", "--tenant", "local", connection_id)
    assert revoked.returncode == 0, revoked.stderr
    listed = _yellowcard(tmp_path, "connections", "list", "--tenant", "local")
    assert listed.stdout.startswith(f"{path}\trevoked ")
    again = _yellowcard(tmp_path, "connections", "revoke", "--tenant", "local", connection_id)
    assert again.returncode == 2

    piped = _yellowcard(
        tmp_path, "connect", "zendesk", "--tenant", "local", "--secret", "-", typed="c2VjcmV0\n"
    )
    assert piped.returncode == 0, piped.stderr
    with sqlite3.connect(tmp_path / "cli.db") as database:
        [(sealed,)] = database.execute(
            "SELECT secret_encrypted FROM connection WHERE kind = ?", ("zendesk",)
        )
    assert Fernet(KEY.encode()).decrypt(sealed.encode()) == b"c2VjcmV0"


def test_without_a_key_the_error_says_how_to_make_one(tmp_path: Path) -> None:
    assert _yellowcard(tmp_path, "shell", "-c", "/client help").returncode == 0
    made = _yellowcard(
        tmp_path, "connect", "zendesk", "--tenant", "local", "--secret", "abc", key=None
    )
    assert made.returncode == 2
    assert "SECRETS_KEY" in made.stderr
    assert "Fernet.generate_key()" in made.stderr
    unknown = _yellowcard(tmp_path, "connect", "zendesk", "--tenant", "nope", "--secret", "abc")
    assert unknown.returncode == 2
    assert "no tenant" in unknown.stderr


def _sealed(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "cli.db") as database:
        return [row[0] for row in database.execute("SELECT secret_encrypted FROM connection")]


def test_a_new_key_is_put_first_then_the_secrets_are_encrypted_again(tmp_path: Path) -> None:
    assert _yellowcard(tmp_path, "shell", "-c", "/client help").returncode == 0
    made = _yellowcard(tmp_path, "connect", "zendesk", "--tenant", "local", "--secret", SECRET)
    assert made.returncode == 0, made.stderr
    [before] = _sealed(tmp_path)
    new = Fernet.generate_key().decode()
    # While both are given, the new key first: the old secret still reads.
    rotated = _yellowcard(tmp_path, "connections", "rekey", key=f"{new},{KEY}")
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "encrypted 1 secrets under the first key"
    [after] = _sealed(tmp_path)
    assert after != before
    # Then the old key can go: the secret reads under the new one alone, the path unchanged.
    assert Fernet(new.encode()).decrypt(after.encode()).decode() == SECRET
    listed = _yellowcard(tmp_path, "connections", "list", "--tenant", "local", key=new)
    assert made.stdout.splitlines()[-1].rsplit("/", 1)[-1] in listed.stdout
