"""A request's body read whole, up to a limit, without trusting its Content-Length."""

from aiohttp import web

_CHUNK = 64 * 1024


async def body_within(request: web.Request, limit: int) -> bytes | None:
    """The whole body, or None when it is longer than ``limit`` bytes (read no further).

    Read chunk by chunk to its end: ``content.read(n)`` returns what has arrived so far, which
    for a body sent in several packets is only its beginning (and a signed body cut short never
    verifies)."""
    if (request.content_length or 0) > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(_CHUNK):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
