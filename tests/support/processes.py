"""``yellowcard`` as a real process, for the tests that start, kill or restart it."""

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SIGNING_SECRET

YELLOWCARD = Path(sys.executable).parent / "yellowcard"


def serve_environment(
    database_url: str, fake: FakeSlack, *, signing_secret: str = SIGNING_SECRET, **settings: str
) -> dict[str, str]:
    """The environment of a ``yellowcard serve`` on ``database_url``, one workspace's token,
    against ``fake``, on a port the system picks; ``settings`` add to it or replace what it
    holds (``WORKER_ENABLED="0"``)."""
    return {
        **os.environ,
        "PORT": "0",
        "HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": fake.url + "api/",
        "LOG_LEVEL": "info",
        **settings,
    }


async def listening_port(process: asyncio.subprocess.Process) -> int:
    """The port ``serve`` says it listens on (it logs the line with ``PORT=0``)."""
    assert process.stderr is not None
    async with asyncio.timeout(60):
        while True:
            line = (await process.stderr.readline()).decode()
            assert line, "serve exited before listening"
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if found:
                return int(found.group(1))


@asynccontextmanager
async def serving(
    env: dict[str, str], cwd: Path
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """``yellowcard serve`` until the block ends (SIGTERM, then kill); its URL and process."""
    process = await asyncio.create_subprocess_exec(
        str(YELLOWCARD), "serve", env=env, cwd=cwd, stderr=asyncio.subprocess.PIPE
    )
    try:
        yield f"http://127.0.0.1:{await listening_port(process)}/", process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(20):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def run(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """Run ``yellowcard`` with ``args`` to the end: its exit code, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        str(YELLOWCARD),
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()
