"""The API's OpenAPI 3.1 document, written by hand from the same limits the checks use, so
that it ships inside the package and cannot drift from them on a number."""

from functools import cache
from typing import Any

from aiohttp import web

from skills.signals.checking import (
    MAX_AMOUNT,
    MAX_ID,
    MAX_MINUTES,
    MAX_SIGNALS,
    SOURCE,
    ErrorCode,
)
from skills.signals.recording import Status
from storage.book_models import SignalKind

_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_ID}
_MOMENT = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 with its offset, like 2026-03-02T09:30:00+01:00 or …Z.",
}


def _client() -> dict[str, Any]:
    return {
        "description": "The client, by exactly one of its billing id, help-desk id or name "
        "(or an alias). A client is never created by a signal.",
        "oneOf": [
            {
                "type": "object",
                "properties": {field: _TEXT},
                "required": [field],
                "additionalProperties": False,
            }
            for field in ("billing_id", "helpdesk_id", "name")
        ],
    }


def _signal() -> dict[str, Any]:
    common = {
        "id": {
            **_TEXT,
            "description": "The source's id for this signal: sent again, it is a duplicate.",
        },
        "client": _client(),
        "at": {**_MOMENT, "description": "When it happened. " + _MOMENT["description"]},
    }
    support = {
        "type": "object",
        "properties": {
            **common,
            "kind": {"enum": ["ticket_opened", "ticket_solved", "touch"]},
            "minutes": {
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_MINUTES,
                "description": "Support minutes spent.",
            },
        },
        "required": ["id", "client", "kind", "at"],
        "additionalProperties": False,
    }
    invoice_fields = {
        **common,
        "amount": {
            "description": "Not negative; kept to the cent. A number or a text of digits.",
            "oneOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT)},
                {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]+)?$"},
            ],
        },
        "currency": {
            "type": "string",
            "pattern": "^[A-Za-z]{3}$",
            "description": "ISO 4217, a currency in use (EUR, USD, JPY…).",
        },
        "due_at": {**_MOMENT, "description": "When the invoice falls due."},
        "invoice_id": {
            **_TEXT,
            "description": "The invoice's own id, the same on its issue, payment and being "
            "overdue: a payment settles what was overdue.",
        },
    }
    invoice = {
        "type": "object",
        "properties": {**invoice_fields, "kind": {"enum": ["invoice_issued", "invoice_paid"]}},
        "required": ["id", "client", "kind", "at", "amount", "currency"],
        "additionalProperties": False,
    }
    overdue = {
        "type": "object",
        "properties": {**invoice_fields, "kind": {"const": "invoice_overdue"}},
        "required": ["id", "client", "kind", "at", "amount", "currency", "due_at"],
        "additionalProperties": False,
    }
    return {"oneOf": [support, invoice, overdue]}


def _error() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
        "required": ["error", "message"],
    }


def _answer(description: str, **headers: str) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if headers:
        answer["headers"] = {
            name: {"description": text, "schema": {"type": "integer"}}
            for name, text in headers.items()
        }
    return answer


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document of the signals API."""
    kinds = ", ".join(kind.value for kind in SignalKind)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Yellowcard signals API",
            "version": "1",
            "description": "Other systems tell Yellowcard about a tenant's clients: tickets, "
            f"touch points and invoices ({kinds}). Counts, minutes and amounts only. See "
            "docs/api.md.",
        },
        "paths": {
            "/api/v1/signals": {
                "post": {
                    "operationId": "postSignals",
                    "summary": f"Record up to {MAX_SIGNALS} signals; a result per item.",
                    "security": [{"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Each item's result, in the batch's order.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Results"}
                                }
                            },
                        },
                        "400": _answer("The body is not JSON."),
                        "401": _answer("No token, or one unknown or revoked."),
                        "413": _answer(
                            f"The body is over 1 MiB, or holds more than {MAX_SIGNALS} signals."
                        ),
                        "422": _answer("The body is JSON but not a batch."),
                        "429": _answer(
                            "Too many requests with this token.",
                            **{"Retry-After": "Seconds to wait."},
                        ),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document.",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from yellowcard api-token create, or "
                    "/client settings api-token create.",
                }
            },
            "schemas": {
                "Batch": {
                    "type": "object",
                    "properties": {
                        "source": {
                            "type": "string",
                            "pattern": f"^{SOURCE.pattern}$",
                            "description": "The sending system, like zendesk or stripe.",
                        },
                        "signals": {
                            "type": "array",
                            "maxItems": MAX_SIGNALS,
                            "items": {"$ref": "#/components/schemas/Signal"},
                        },
                    },
                    "required": ["source", "signals"],
                    "additionalProperties": False,
                },
                "Signal": _signal(),
                "Results": {
                    "type": "object",
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": ["string", "null"]},
                                    "status": {"enum": [status.value for status in Status]},
                                    "error": {"enum": [code.value for code in ErrorCode]},
                                    "message": {"type": "string"},
                                },
                                "required": ["id", "status"],
                            },
                        }
                    },
                    "required": ["results"],
                },
                "Error": _error(),
            },
        },
    }


async def openapi_document(_request: web.Request) -> web.Response:
    """``GET /api/v1/openapi.json``."""
    return web.json_response(document())
