"""Yellowcard as a user deploys it: the sdist and the wheel built as a release is, the wheel
installed in a fresh virtualenv outside the checkout, and run from another folder. An editable
install reads data files, catalogs and migrations from the checkout and hides what the package
leaves out; this does not."""

import asyncio
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import aiohttp
import pytest

from evaluation.abuse import labelled_set
from skills.listening.abuse import detect
from skills.text.i18n import SUPPORTED_LANGUAGES
from tests.support.processes import listening_port

ROOT = Path(__file__).resolve().parents[1]
# Building and installing can take minutes on a cold package cache.
INSTALL_SECONDS = 900
RUN_SECONDS = 120


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, answers: str = "") -> str:
    done = subprocess.run(
        [str(arg) for arg in args],
        input=answers,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist and the wheel (built from that sdist, as ``python -m build`` does)."""
    dist = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=dist)
    [sdist] = dist.glob("yellowcard-*.tar.gz")
    [wheel] = dist.glob("yellowcard-*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", venv, cwd=venv)
    _run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        built[1],
        cwd=venv,
    )
    return venv / "bin"


def _names(built: tuple[Path, Path]) -> tuple[set[str], set[str]]:
    sdist, wheel = built
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    return in_sdist, in_wheel


def test_every_file_the_product_reads_is_packaged(built: tuple[Path, Path]) -> None:
    in_sdist, in_wheel = _names(built)
    tracked = subprocess.run(
        ["git", "ls-files", "bot", "skills", "storage", "manifests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked, "git lists the product's files"
    assert [name for name in tracked if name not in in_wheel] == []
    assert [name for name in tracked if name not in in_sdist] == []
    # Tests and the evaluation's labelled sets are not the product.
    assert [name for name in in_wheel if name.startswith(("tests/", "evaluation/"))] == []


def _environment(folder: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT"}
    return {
        **{name: value for name, value in os.environ.items() if name in keep},
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'yellowcard.db'}",
    }


def test_the_installed_product_works_from_another_folder(installed: Path, tmp_path: Path) -> None:
    env = _environment(tmp_path)
    yellowcard = installed / "yellowcard"
    assert "newest revision" in _run(yellowcard, "migrate", cwd=tmp_path, env=env)
    reply = _run(
        yellowcard,
        "shell",
        "--json",
        "-c",
        '/report-client "Acme Corp" scope_creep wants a free dashboard',
        cwd=tmp_path,
        env=env,
        answers="1\n",  # "Create Acme Corp"
    )
    filed = json.loads(reply.splitlines()[-1])
    assert filed["kind"] == "result"
    assert filed["data"]["client"]["name"] == "Acme Corp"
    _run(
        yellowcard,
        "teams-package",
        "--app-id",
        "11111111-2222-3333-4444-555555555555",
        "--domain",
        "bot.example.com",
        "--output",
        tmp_path / "teams.zip",
        cwd=tmp_path,
        env=env,
    )
    with zipfile.ZipFile(tmp_path / "teams.zip") as package:
        assert {"manifest.json", "color.png", "outline.png"} <= set(package.namelist())


def _an_insult(language: str) -> str:
    """A message of the labelled set that the detector flags in this checkout."""
    for line in labelled_set(language).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            if case["abusive"] and detect(case["text"]) is not None:
                return str(case["text"])
    raise AssertionError(f"no flagged insult in the {language} labelled set")


def test_the_installed_detector_flags_an_insult_in_every_language(
    installed: Path, tmp_path: Path
) -> None:
    insults = ["You are all useless idiots", *map(_an_insult, SUPPORTED_LANGUAGES)]
    script = (
        "import json, sys\n"
        "from skills.listening.abuse import detect\n"
        "print(json.dumps([detect(text) is not None for text in json.load(sys.stdin)]))\n"
    )
    done = subprocess.run(
        [str(installed / "python"), "-c", script],
        input=json.dumps(insults),
        cwd=tmp_path,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True] * len(insults), insults


async def test_the_installed_server_is_ready(installed: Path, tmp_path: Path) -> None:
    env = {**_environment(tmp_path), "HOST": "127.0.0.1", "PORT": "0"}
    server = await asyncio.create_subprocess_exec(
        str(installed / "yellowcard"),
        "serve",
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        port = await listening_port(server)  # bounded: a serve that never listens fails
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as ready,
        ):
            assert ready.status == 200
            assert (await ready.json())["status"] == "ok"
        # The signals API's document is code, not a data file, and is served from the wheel.
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/api/v1/openapi.json") as document,
        ):
            assert document.status == 200
            assert (await document.json())["openapi"] == "3.1.0"
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), RUN_SECONDS)
