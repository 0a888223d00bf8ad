"""The yardstick: a slack-bolt app on aiohttp that only acknowledges /report-client and
message events.

Run by bench/report.py as its own process; prints its port once it listens.
"""

import asyncio
import os
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult


async def _authorize(**_: object) -> AuthorizeResult:
    # No auth.test round trip: the yardstick measures acknowledging, nothing else.
    return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-bare")


async def main() -> None:
    bolt = AsyncApp(signing_secret=os.environ["SLACK_SIGNING_SECRET"], authorize=_authorize)

    @bolt.command("/report-client")
    async def acknowledge(ack):  # type: ignore[no-untyped-def]
        await ack()

    @bolt.event("message")
    async def hear(event):  # type: ignore[no-untyped-def]
        # Events are acknowledged by bolt itself; the yardstick does nothing with them.
        return None

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
