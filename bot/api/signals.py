"""``POST /api/v1/signals``: the token checked, the rate applied, the body read within its
limit and parsed, then the batch handed to ``skills.signals``. Errors are JSON
``{"error": code, "message": text}`` (English: they are read by developers)."""

import json
from decimal import Decimal
from typing import NoReturn

from aiohttp import web
from prometheus_client import Counter

from bot.api.rate_limit import RateLimiter
from bot.keys import SERVICES_KEY
from bot.request_body import body_within
from skills.signals.checking import BatchError, check_batch
from skills.signals.recording import ItemResult, record_batch
from skills.signals.tokens import authenticate

LIMITER_KEY = web.AppKey("api_rate_limiter", RateLimiter)
FAILURES_KEY = web.AppKey("api_failures_limiter", RateLimiter)
COUNTER_KEY = web.AppKey("api_signals_counter", Counter)
# 500 signals with every field at its longest take about 410 KB (in ASCII).
MAX_BODY_BYTES = 1024 * 1024


async def post_signals(request: web.Request) -> web.Response:
    """Record a batch of signals for the token's tenant; a result per item."""
    # Requests without a valid token are limited by address at the same rate, before the token
    # is looked up: past it, guessing costs the database nothing.
    failures, address = request.app[FAILURES_KEY], request.remote or ""
    if wait := failures.waiting(address):
        return _rate_limited(wait, "too many requests without a valid token from this address")
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        failures.take(address)
        return _unauthorized("send Authorization: Bearer <token> (yellowcard api-token create)")
    services = request.app[SERVICES_KEY]
    bearer = await authenticate(services, token.strip())
    if bearer is None:
        failures.take(address)
        return _unauthorized("the token is not valid: unknown, mistyped or revoked")
    if wait := request.app[LIMITER_KEY].take(bearer.token_id):
        return _rate_limited(wait, "too many requests with this token")
    body = await body_within(request, MAX_BODY_BYTES)
    if body is None:
        return _error(413, "body_too_large", f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        parsed = json.loads(body, parse_float=Decimal, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return _error(400, "malformed_json", "the body is not JSON (UTF-8)")
    try:
        batch = check_batch(parsed)
    except BatchError as wrong:
        if wrong.too_many:
            return _error(413, "too_many_signals", str(wrong))
        return _error(422, "invalid_body", str(wrong))
    results = await record_batch(services, bearer.tenant_id, batch)
    counter = request.app[COUNTER_KEY]
    for result in results:
        counter.labels(result.status.value).inc()
    return web.json_response({"results": [_result(result) for result in results]})


def _not_json(constant: str) -> NoReturn:
    # Python's json reads NaN and Infinity; JSON has neither.
    raise ValueError(f"{constant} is not JSON")


def _result(result: ItemResult) -> dict[str, str | None]:
    shown: dict[str, str | None] = {"id": result.id, "status": result.status.value}
    if result.error is not None:
        shown["error"] = result.error.value
        shown["message"] = result.message
    return shown


def _rate_limited(wait: int, message: str) -> web.Response:
    return _error(
        429, "rate_limited", f"{message}; retry in {wait} s", headers={"Retry-After": str(wait)}
    )


def _unauthorized(message: str) -> web.Response:
    return _error(
        401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="yellowcard"'}
    )


def _error(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status, headers=headers)
