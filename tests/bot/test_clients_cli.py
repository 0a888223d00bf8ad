"""``yellowcard clients import|export``: an operator loads a CSV into a tenant and writes it
back, through the installed command."""

import os
import subprocess
import sys
from pathlib import Path

YELLOWCARD = Path(sys.executable).parent / "yellowcard"


def _clients(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'cli.db'}"}
    return subprocess.run(
        [str(YELLOWCARD), "clients", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=60,
        check=False,
    )


def test_an_operator_imports_checks_and_exports_the_local_workspace(tmp_path: Path) -> None:
    file = tmp_path / "book.csv"
    # Excel's flavour: a byte-order mark, semicolons, CRLF.
    file.write_bytes(
        "\ufeffname;segment;revenue;currency;billing_id\r\n"
        "Acme Corp;ideal;1250.50;EUR;cus_1\r\n"
        "Globex;adjacent;;;\r\n".encode()
    )
    dry = _clients(tmp_path, "import", str(file), "--tenant", "local", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "line 2: would create “Acme Corp”",
        "line 3: would create “Globex”",
        "Dry run, nothing written. To create: 2, to change: 0, unchanged: 0, wrong lines: 0.",
    ]
    done = _clients(tmp_path, "import", str(file), "--tenant", "local")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Imported. Created: 2, changed: 0, unchanged: 0, lines skipped: 0."
    )
    exported = _clients(tmp_path, "export", "--tenant", "local")
    assert exported.stdout.splitlines() == [
        "name,aliases,segment,tier,revenue,currency,owner,billing_id,helpdesk_id,notes",
        "Acme Corp,,ideal,,1250.50,EUR,,cus_1,,",
        "Globex,,adjacent,,,,,,,",
    ]
    written = tmp_path / "out.csv"
    _clients(tmp_path, "export", "--tenant", "local", "--output", str(written))
    again = _clients(tmp_path, "import", str(written), "--tenant", "local")
    assert again.stdout.strip() == (
        "Imported. Created: 0, changed: 0, unchanged: 2, lines skipped: 0."
    )


def test_wrong_lines_are_named_and_stop_the_import(tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("name,segment,currency\nAcme,great,\nGlobex,,ZZZ\nInitech,,\n")
    checked = _clients(tmp_path, "import", str(file), "--tenant", "local", "--dry-run")
    assert checked.returncode == 1, "a dry run says, by its exit code, that the import would stop"
    wrong = _clients(tmp_path, "import", str(file), "--tenant", "local")
    assert wrong.returncode == 1
    assert wrong.stdout.splitlines()[:2] == [
        "line 2, column segment: The segment is one of ideal, adjacent, or outside.",
        "line 3, column currency: “ZZZ” is not a currency code. Write its three-letter ISO "
        "4217 code, like EUR, USD or JPY.",
    ]
    skipped = _clients(tmp_path, "import", str(file), "--tenant", "local", "--skip-invalid")
    assert skipped.returncode == 0
    assert skipped.stdout.splitlines()[-1] == (
        "Imported. Created: 1, changed: 0, unchanged: 0, lines skipped: 2."
    )


def test_an_unknown_tenant_or_file_is_an_error(tmp_path: Path) -> None:
    missing = _clients(tmp_path, "export", "--tenant", "slack:TNOPE")
    assert missing.returncode == 2
    assert "there is no tenant 'slack:TNOPE'" in missing.stderr
    unreadable = _clients(tmp_path, "import", str(tmp_path / "nope.csv"), "--tenant", "local")
    assert unreadable.returncode == 2
    assert "cannot read" in unreadable.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nCafé\n".encode("latin-1"))
    not_utf8 = _clients(tmp_path, "import", str(latin), "--tenant", "local")
    assert not_utf8.returncode == 2
    assert "is not UTF-8" in not_utf8.stderr
