"""Typed settings from the environment and a ``.env`` file (see ``.env.example``)."""

import ipaddress
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.database import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    """Everything Yellowcard reads from its environment; nothing is read at import time."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.")
    host: str = Field("0.0.0.0", description="Address to listen on.")
    port: int = Field(3000, description="Port to listen on.")
    slack_bot_token: SecretStr | None = Field(None, description="Single-workspace bot token.")
    slack_signing_secret: SecretStr | None = Field(None, description="Verifies Slack requests.")
    slack_client_id: str | None = Field(None, description="OAuth install, many workspaces.")
    slack_client_secret: SecretStr | None = Field(None, description="OAuth install secret.")
    slack_app_token: SecretStr | None = Field(None, description="Socket Mode app-level token.")
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL.")
    microsoft_app_id: str | None = Field(None, description="Teams bot app id.")
    microsoft_app_password: SecretStr | None = Field(None, description="Teams bot secret.")
    microsoft_app_tenant_id: str | None = Field(None, description="Teams bot's Entra tenant.")
    teams_allow_anonymous: bool = Field(False, description="Accept unsigned Teams requests.")
    yellowcard_locale: Literal["en", "es", "ja", "zh-Hant"] = Field(
        "en", description="Default language of new tenants."
    )
    worker_enabled: bool = Field(
        True, description="Run the outbox dispatcher and scheduler inside serve."
    )
    outbox_poll_seconds: float = Field(2.0, gt=0, description="How often due messages are sent.")
    scheduler_tick_seconds: float = Field(
        30.0, gt=0, description="How often summaries and reminders are checked."
    )
    outbox_max_attempts: int = Field(8, ge=1, description="Failures before a message is parked.")
    outbox_retry_seconds: float = Field(
        5.0, gt=0, description="First retry delay; it doubles each time, up to an hour."
    )
    request_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="How long an acknowledged Slack request is held by the process handling "
        "it; a process that died leaves it to another after this.",
    )
    request_sweep_seconds: float = Field(
        5.0, gt=0, description="How often abandoned acknowledged requests are looked for."
    )
    outbox_lease_seconds: float = Field(
        60.0, gt=0, description="How long a claimed message is kept from other dispatchers."
    )
    api_requests_per_minute: int = Field(
        120, ge=1, description="Signals API requests per token and minute, per process."
    )
    secrets_key: SecretStr | None = Field(
        None,
        description="Fernet key encrypting webhook signing secrets (docs/integrations.md).",
    )
    log_level: str = Field("info", description="debug, info, warning or error.")
    access_log: bool = Field(
        False, description="Log every HTTP request (the load balancer usually does)."
    )
    log_format: Literal["text", "json"] = Field("text", description="Log line format.")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # ``MICROSOFT_APP_ID=`` in a .env means "not set", never "set to nothing".
        return None if value == "" else value

    def key(self) -> str | None:
        """``SECRETS_KEY`` as the skills take it (``Services.secrets_key``)."""
        return None if self.secrets_key is None else self.secrets_key.get_secret_value()

    @property
    def slack_configured(self) -> bool:
        """Whether enough is set to serve Slack: a token (or OAuth), and a way to receive."""
        has_credentials = self.slack_bot_token is not None or (
            self.slack_client_id is not None and self.slack_client_secret is not None
        )
        has_delivery = self.slack_signing_secret is not None or self.slack_app_token is not None
        return has_credentials and has_delivery

    @property
    def teams_identity(self) -> bool:
        """Whether the bot's whole identity is set: app id, secret and tenant."""
        return None not in (
            self.microsoft_app_id,
            self.microsoft_app_password,
            self.microsoft_app_tenant_id,
        )

    @property
    def anonymous_teams_exposed(self) -> bool:
        """Whether unsigned Teams requests would be accepted from other machines: anonymous
        mode on an address that is not this machine's own."""
        anonymous = self.teams_configured and not self.teams_identity
        return anonymous and not _loopback(self.host)

    @property
    def teams_configured(self) -> bool:
        """Whether to serve Teams: the bot's identity, or (with none of it set) anonymous local
        mode asked for explicitly."""
        partly_set = self.microsoft_app_id or self.microsoft_app_password
        return self.teams_identity or (self.teams_allow_anonymous and not partly_set)


def _loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
