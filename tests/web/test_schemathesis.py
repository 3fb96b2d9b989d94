"""Schemathesis against the app's OpenAPI schema, in process, signed in as each role.

Every operation gets generated requests (Hypothesis, derandomised so a run can be repeated) with
the role's Bearer token: no response may be a 5xx, and every response must match the schema.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from conftest import ROLES

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 6
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_operation_conforms(web, role: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    calls: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        calls[label] = 0

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            calls[label] += 1  # noqa: B023 - one operation per loop turn, run at once
            case.call_and_validate(headers=headers, checks=CHECKS, allow_redirects=False)

        check()
    assert calls and all(calls.values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"schemathesis-{role}.json").write_text(
        json.dumps({"role": role, "operations": len(calls), "requests": sum(calls.values())})
    )
