"""The OpenAPI document, and schemathesis generating requests from it against a running
``yellowcard serve`` whose token the command line made: every answer has a documented status,
content type and shape, and nothing is a server error."""

import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation

from tests.support.processes import YELLOWCARD

EXAMPLES = 50


@dataclass(frozen=True)
class Served:
    """A running ``yellowcard serve`` and a token of its local tenant."""

    url: str
    token: str


def _yellowcard(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [str(YELLOWCARD), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The local tenant set up by its shell, a token made with ``api-token create``, and the
    app serving on a port the system picks."""
    folder = tmp_path_factory.mktemp("openapi")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'api.db'}",
        "HOST": "127.0.0.1",
        "PORT": "0",
        "WORKER_ENABLED": "0",
        "LOG_LEVEL": "info",
        # Schemathesis sends requests as fast as it can; the limit has its own test.
        "API_REQUESTS_PER_MINUTE": "100000",
    }
    _yellowcard(env, folder, "shell", "-c", "/client help")
    token = _yellowcard(env, folder, "api-token", "create", "--tenant", "local", "--name", "fuzz")
    process = subprocess.Popen(
        [str(YELLOWCARD), "serve"], env=env, cwd=folder, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    try:
        port = None
        for line in process.stderr:
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if found:
                port = found.group(1)
                break
        assert port, "serve exited before listening"
        # Keep reading what it logs, so that a full pipe never stops it.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield Served(f"http://127.0.0.1:{port}", token.splitlines()[-1])
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_document_is_served_as_openapi_3_1(served: Served) -> None:
    answer = requests.get(f"{served.url}/api/v1/openapi.json", timeout=10)
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/v1/signals", "/api/v1/openapi.json"}
    signal = document["components"]["schemas"]["Signal"]
    kinds = {kind for variant in signal["oneOf"] for kind in _kinds(variant)}
    assert kinds == {
        "ticket_opened", "ticket_solved", "touch", "invoice_issued", "invoice_paid",
        "invoice_overdue",
    }  # fmt: skip


def _kinds(variant: dict[str, dict[str, dict[str, object]]]) -> list[str]:
    kind = variant["properties"]["kind"]
    return [str(kind["const"])] if "const" in kind else [str(item) for item in kind["enum"]]  # type: ignore[attr-defined]


def _operation(served: Served) -> APIOperation[Any, Any, Any, Any]:
    schema = schemathesis.openapi.from_url(f"{served.url}/api/v1/openapi.json")
    return schema["/api/v1/signals"]["POST"]


def test_what_the_document_allows_is_answered_as_it_says(served: Served) -> None:
    operation = _operation(served)
    statuses: set[int] = set()

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Case[Any]) -> None:
        answer = case.call_and_validate(
            base_url=served.url, headers={"Authorization": f"Bearer {served.token}"}
        )
        statuses.add(answer.status_code)

    check()
    # Every batch the document allows is taken (its items may still be rejected one by one).
    assert statuses == {200}


def test_what_the_document_forbids_is_never_a_server_error(served: Served) -> None:
    operation = _operation(served)
    statuses: set[int] = set()

    @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Case[Any]) -> None:
        # A wrong item is answered 200 with that item "rejected" (each item stands alone),
        # which schemathesis would read as schema-violating data accepted.
        answer = case.call_and_validate(
            base_url=served.url,
            headers={"Authorization": f"Bearer {served.token}"},
            excluded_checks=[negative_data_rejection],
        )
        statuses.add(answer.status_code)

    check()
    # 401 when it spoils the Authorization header too.
    assert statuses <= {200, 400, 401, 413, 422}
    assert statuses & {400, 422}
