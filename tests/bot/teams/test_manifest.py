"""manifests/teams: a valid manifest (schema v1.29) naming what the bot handles, its icons, its
language files, and the package ``yellowcard teams-package`` writes."""

import fnmatch
import json
import re
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from bot.teams.file_consent import FILE_CONSENT
from bot.teams.package import PLACEHOLDER_ID, PackageError, build_package, manifest_for
from bot.teams.surface import FETCH_TASK
from manifests import TEAMS
from skills.commands import UnknownCommand
from skills.text.command_parser import parse_command
from tests.support.processes import YELLOWCARD

SCHEMA = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "teams_manifest.schema.json"
ROOT = Path(__file__).resolve().parents[3]
# Microsoft's Localization schema for manifest v1.29, kept in this repository (tests/fixtures/
# SOURCES.md says where from). A manifest of another version needs that version's schema.
LOCALIZATION_SCHEMA = ROOT / "tests" / "fixtures" / "teams_localization.schema.json"
LOCALIZATION_VERSION = "1.29"
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
        # The language files are checked on their own, below.
        names = set(files.namelist()) - set(_languages().values())
        assert names == {"color.png", "manifest.json", "outline.png"}
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


def test_the_bot_may_offer_files() -> None:
    # Without it Teams shows no file consent card, and a client's export cannot reach a
    # manager (bot/teams/file_consent.py).
    manifest = json.loads((TEAMS / "manifest.json").read_text())
    [bot] = manifest["bots"]
    assert bot["supportsFiles"] is True
    assert FILE_CONSENT == "fileConsent/invoke"


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


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def _languages() -> dict[str, str]:
    """languageTag → file, as the manifest lists them."""
    info = _manifest()["localizationInfo"]
    return {language["languageTag"]: language["file"] for language in info["additionalLanguages"]}


def _keep_ref_siblings(node: Any) -> Any:
    """``{"$ref": …, "maxLength": 30}`` as ``allOf`` both. The schema sets ``name.short``'s 30
    characters (and the other three required strings' limits) beside a ``$ref``, which draft-04
    validators ignore; Teams applies them."""
    if isinstance(node, list):
        return [_keep_ref_siblings(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _keep_ref_siblings(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        return {"allOf": [{"$ref": node["$ref"]}, siblings]}
    return node


def _localization_errors(strings: dict[str, Any]) -> list[str]:
    schema = _keep_ref_siblings(json.loads(LOCALIZATION_SCHEMA.read_text()))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(strings)]


def _lookup(manifest: dict[str, Any], key: str) -> Any:
    """The manifest's value at a localisation key such as ``bots[0].commandLists[0].commands[3]
    .description``; None when the manifest has nothing there."""
    node: Any = manifest
    for part in key.split("."):
        step = re.fullmatch(r"(\w+)((?:\[\d+\])*)", part)
        if step is None or not isinstance(node, dict) or step.group(1) not in node:
            return None
        node = node[step.group(1)]
        for index in map(int, re.findall(r"\[(\d+)\]", step.group(2))):
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
    return node


def _translatable(manifest: dict[str, Any]) -> set[str]:
    """Every key a language file translates: the names and descriptions, each bot command's
    description, and each message action's title and description. Bot command titles are left
    out on purpose: Teams sends the bot the title as shown, and commands are English words in
    every language (skills/text/command_parser.py)."""
    keys = {"name.short", "name.full", "description.short", "description.full"}
    for b, bot in enumerate(manifest["bots"]):
        for c, command_list in enumerate(bot["commandLists"]):
            for n in range(len(command_list["commands"])):
                keys.add(f"bots[{b}].commandLists[{c}].commands[{n}].description")
    for e, extension in enumerate(manifest["composeExtensions"]):
        for n in range(len(extension["commands"])):
            keys |= {
                f"composeExtensions[{e}].commands[{n}].{field}"
                for field in ("title", "description")
            }
    return keys


def test_every_language_has_its_file_and_every_file_is_listed() -> None:
    manifest = _manifest()
    info = manifest["localizationInfo"]
    assert info["defaultLanguageTag"] == "en-us", "manifest.json itself is the English strings"
    languages = _languages()
    assert sorted(languages) == ["es", "ja", "zh-tw"]
    assert len(info["additionalLanguages"]) == len(languages), "each language listed once"
    for tag, file in languages.items():
        assert tag == tag.lower(), tag
        assert file == f"{tag}.json", "a language's file is named after its tag"
        assert (TEAMS / file).is_file(), f"{file} is missing"
    on_disk = {path.name for path in TEAMS.glob("*.json")} - {"manifest.json"}
    assert on_disk == set(languages.values()), "every language file is listed in the manifest"


@pytest.mark.parametrize("tag", sorted(_languages()))
def test_each_language_file_is_valid_and_complete(tag: str) -> None:
    manifest = _manifest()
    assert manifest["manifestVersion"] == LOCALIZATION_VERSION, (
        "a new manifest version needs that version's Localization schema in tests/fixtures"
    )
    strings = json.loads((TEAMS / _languages()[tag]).read_text(encoding="utf-8"))
    assert _localization_errors(strings) == []
    # Teams wants the language file to name the same schema version as the manifest.
    assert strings["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{LOCALIZATION_VERSION}"
        "/MicrosoftTeams.Localization.schema.json"
    )
    keys = set(strings) - {"$schema"}
    # Everything translatable is translated, and nothing else: a key that names no field of
    # the manifest (a command removed or moved) would be ignored by Teams without a word.
    assert keys == _translatable(manifest)
    for key in keys:
        english = _lookup(manifest, key)
        assert isinstance(english, str), f"{key} names nothing in manifest.json"
        if key != "name.short":  # the product's name is the same everywhere
            assert strings[key] != english, f"{key} is not translated"
    # The example in a command's description is what to type: the English command word.
    assert 'client "Acme Corp"' in strings["bots[0].commandLists[0].commands[1].description"]


def test_the_localization_schema_is_microsofts_and_catches_mistakes() -> None:
    schema = json.loads(LOCALIZATION_SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    assert schema["required"] == ["name.short", "description.short", "description.full"]
    too_long = {"name.short": "x" * 31, "description.short": "x", "description.full": "x"}
    assert _localization_errors(too_long) != []
    unknown = {"name.short": "x", "description.short": "x", "description.full": "x", "help": "x"}
    assert _localization_errors(unknown) != []
    assert _localization_errors({"name.short": "x", "description.short": "x"}) != []


def test_the_language_files_are_package_data() -> None:
    """pyproject.toml's package-data takes every file of manifests/teams/ into the wheel
    (tests/test_installed_package.py builds the wheel and checks every tracked file is in it)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["manifests"]
    for name in ["manifest.json", *_languages().values()]:
        assert any(fnmatch.fnmatch(f"teams/{name}", pattern) for pattern in patterns), name


def test_the_package_carries_every_language_file(tmp_path: Path) -> None:
    package = build_package(APP_ID, "bot.acme.io", tmp_path / "app.zip")
    with zipfile.ZipFile(package) as files:
        names = set(files.namelist())
        manifest = json.loads(files.read("manifest.json"))
        for file in _languages().values():
            assert file in names, f"{file} is not in the package"
            assert _localization_errors(json.loads(files.read(file))) == []
    assert manifest["localizationInfo"] == _manifest()["localizationInfo"]


def test_channel_listening_names_the_apps_entra_registration(tmp_path: Path) -> None:
    # Resource-specific consent (reading channel messages) needs webApplicationInfo, with the
    # bot's own Entra app id: the package fills both from the same placeholder.
    manifest = _manifest()
    assert manifest["authorization"]["permissions"]["resourceSpecific"]
    assert manifest["webApplicationInfo"]["id"] == manifest["bots"][0]["botId"] == PLACEHOLDER_ID
    package = build_package(APP_ID, "bot.acme.io", tmp_path / "app.zip")
    with zipfile.ZipFile(package) as files:
        packaged = json.loads(files.read("manifest.json"))
    assert packaged["webApplicationInfo"]["id"] == packaged["bots"][0]["botId"] == APP_ID
