"""``yellowcard teams-package``: the installable Teams app zip, from ``manifests/teams/``.

The manifest names one placeholder app id and one placeholder domain; the package has them
replaced by the bot's Microsoft App ID and the domain Yellowcard is served on.
"""

import json
import re
import uuid
import zipfile
from pathlib import Path

from manifests import TEAMS

PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_DOMAIN = "yellowcard.example.com"
FILES = ("color.png", "outline.png")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class PackageError(ValueError):
    """An app id or domain that cannot go into the manifest, said plainly."""


def manifest_for(app_id: str, domain: str, source: Path = TEAMS) -> dict[str, object]:
    """The manifest with the bot's app id and domain in place of the placeholders."""
    try:
        app_id = str(uuid.UUID(app_id))
    except ValueError as error:
        raise PackageError(f"{app_id!r} is not a Microsoft App ID (a GUID)") from error
    domain = domain.strip().lower()
    if not _HOST.match(domain):
        raise PackageError(f"{domain!r} is not a domain name (no https://, no path)")
    text = (source / "manifest.json").read_text(encoding="utf-8")
    text = text.replace(PLACEHOLDER_ID, app_id).replace(PLACEHOLDER_DOMAIN, domain)
    manifest: dict[str, object] = json.loads(text)
    return manifest


def build_package(app_id: str, domain: str, output: Path, source: Path = TEAMS) -> Path:
    """Write the zip Teams installs, every file at its root: manifest.json, the two icons
    and the language files its ``localizationInfo`` names (Teams refuses a package that
    names a file it does not carry)."""
    if not (source / "manifest.json").exists():
        raise PackageError(f"{source} has no manifest.json (run from a clone of Yellowcard)")
    manifest = manifest_for(app_id, domain, source)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name in (*FILES, *language_files(manifest)):
            package.write(source / name, name)
    return output


def language_files(manifest: dict[str, object]) -> list[str]:
    """The language files the manifest's ``localizationInfo`` names."""
    localization = manifest.get("localizationInfo")
    if not isinstance(localization, dict):
        return []
    return [str(language["file"]) for language in localization.get("additionalLanguages", [])]
