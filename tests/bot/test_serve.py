"""``yellowcard serve`` as a process: serves on start, stops cleanly on SIGTERM."""

import asyncio
import os
import signal
from pathlib import Path

import aiohttp

from tests.support.processes import YELLOWCARD, listening_port


async def test_serve_then_sigterm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PORT": "0",
        "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        "LOG_LEVEL": "info",
    }
    process = await asyncio.create_subprocess_exec(
        str(YELLOWCARD), "serve", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    try:
        port = await listening_port(process)
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            rest = (await process.stderr.read()).decode()
            code = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0
    assert "shutting down" in rest
    assert rest.rstrip().endswith("stopped")
