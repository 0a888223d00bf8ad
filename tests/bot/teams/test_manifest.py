"""manifests/teams: a valid manifest (schema v1.29) naming what the bot handles, its icons, and
the package ``yellowcard teams-package`` writes."""

import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from bot.teams.package import PackageError, build_package, manifest_for
from bot.teams.surface import FETCH_TASK
from manifests import TEAMS
from skills.commands import UnknownCommand
from skills.text.command_parser import parse_command
from tests.support.processes import YELLOWCARD

SCHEMA = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "teams_manifest.schema.json"
APP_ID = "6b4d1d5e-3c5a-4c2c-9d8e-1f2a3b4c5d6e"


def _validate(manifest: dict[str, Any]) -> list[str]:
    if not SCHEMA.exists():
        pytest.skip("../shared/fixtures is not beside this clone (CI always has it)")
    schema = json.loads(SCHEMA.read_text())
    # One pattern of the schema uses \\p{L}, which Python's re cannot compile (SOURCES.md):
    # validate without format checks, and drop patterns Python cannot read.
    text = json.dumps(schema).replace("\\\\p{L}", "a-zA-Z")
    validator = jsonschema.Draft4Validator(json.loads(text))
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(manifest)
    ]


def test_the_manifest_and_the_package_are_valid(tmp_path: Path) -> None:
    assert _validate(json.loads((TEAMS / "manifest.json").read_text())) == []
    package = build_package(APP_ID, "bot.acme.io", tmp_path / "app.zip")
    with zipfile.ZipFile(package) as files:
        assert sorted(files.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(files.read("manifest.json"))
    assert _validate(manifest) == []
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["composeExtensions"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bot.acme.io"]
    assert "00000000-0000" not in json.dumps(manifest)


def test_every_listed_command_is_one_the_bot_understands() -> None:
    manifest = json.loads((TEAMS / "manifest.json").read_text())
    [commands] = manifest["bots"][0]["commandLists"]
    for command in commands["commands"]:
        assert not isinstance(parse_command(command["title"]), UnknownCommand), command["title"]
    [action] = manifest["composeExtensions"][0]["commands"]
    assert (action["type"], action["context"], action["fetchTask"]) == ("action", ["message"], True)
    assert FETCH_TASK == "composeExtension/fetchTask"


def test_the_icons_are_the_sizes_teams_asks_for() -> None:
    with Image.open(TEAMS / "color.png") as color:
        assert color.size == (192, 192)
    with Image.open(TEAMS / "outline.png") as outline:
        assert outline.size == (32, 32)
        rgba = outline.convert("RGBA")
        pixels = [rgba.getpixel((x, y)) for y in range(32) for x in range(32)]
    drawn = [pixel for pixel in pixels if pixel[3]]
    assert drawn, "the outline draws something"
    assert all(pixel[:3] == (255, 255, 255) for pixel in drawn), "white on transparent"
    assert any(pixel[3] == 0 for pixel in pixels)


@pytest.mark.parametrize(
    ("app_id", "domain"),
    [("not-a-guid", "bot.acme.io"), (APP_ID, "https://bot.acme.io"), (APP_ID, "bot.acme.io/x")],
)
def test_bad_ids_and_domains_are_refused(app_id: str, domain: str) -> None:
    with pytest.raises(PackageError):
        manifest_for(app_id, domain)


def test_the_command_writes_the_package(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(YELLOWCARD),
            "teams-package",
            "--app-id",
            APP_ID,
            "--domain",
            "bot.acme.io",
            "--output",
            str(tmp_path / "x.zip"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.zip").exists()
    refused = subprocess.run(
        [str(YELLOWCARD), "teams-package", "--app-id", "nope", "--domain", "bot.acme.io"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert refused.returncode == 2
    assert re.search("not a Microsoft App ID", refused.stderr)
