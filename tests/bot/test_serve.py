"""``yellowcard serve`` as a process: serves on start, stops cleanly on SIGTERM."""

import asyncio
import os
import signal
from pathlib import Path

import aiohttp

from bot.settings import Settings
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


async def test_anonymous_teams_is_refused_on_an_open_address(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PORT": "0",
        "HOST": "0.0.0.0",
        "TEAMS_ALLOW_ANONYMOUS": "1",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
    }
    for name in ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID"):
        env.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        str(YELLOWCARD), "serve", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(30):
        _out, errors = await process.communicate()
    assert process.returncode == 2
    assert "HOST is 0.0.0.0. Set HOST=127.0.0.1" in errors.decode()


def test_only_a_loopback_address_keeps_anonymous_teams_to_this_machine() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert not Settings(teams_allow_anonymous=True, host=host).anonymous_teams_exposed, host
    for host in ("0.0.0.0", "::", "10.0.0.5", "bot.example.com"):
        assert Settings(teams_allow_anonymous=True, host=host).anonymous_teams_exposed, host
    signed = Settings(
        teams_allow_anonymous=True,
        host="0.0.0.0",
        microsoft_app_id="id",
        microsoft_app_password="secret",  # type: ignore[arg-type]
        microsoft_app_tenant_id="tenant",
    )
    assert not signed.anonymous_teams_exposed
