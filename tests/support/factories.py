"""Rows for storage tests that work below the skills."""

from datetime import UTC, datetime
from typing import Any

from storage.models import Client

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def client_row(tenant_id: str, **overrides: Any) -> Client:
    """A client called Acme, created at ``NOW`` unless told otherwise."""
    fields: dict[str, Any] = {
        "tenant_id": tenant_id,
        "name": "Acme",
        "lookup_key": "acme",
        "state_changed_at": NOW,
        "created_at": NOW,
        "created_by": "test",
        **overrides,
    }
    return Client(**fields)
