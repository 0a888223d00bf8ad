"""The platforms' app manifests: ``slack.yaml`` to create the Slack app, and ``teams/``, from
which ``yellowcard teams-package`` builds the Teams app. A package, so that they are installed
with the product."""

from pathlib import Path

TEAMS = Path(__file__).parent / "teams"
SLACK = Path(__file__).parent / "slack.yaml"
