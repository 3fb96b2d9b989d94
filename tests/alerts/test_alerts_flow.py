"""End to end: an ingested article changes the board; the subscriber gets a signed webhook and an
e-mail over STARTTLS; running again sends nothing. Real local HTTP and SMTP servers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from alerts.receivers import Hook, smtp_server, webhook_receiver

SECRET = "a-test-signing-secret-0123456789"
FIRST = (
    "Title: Geneva round\nDate: 2025-11-24\nSource: Mission A\n\n"
    "Russia rejected the European counter-proposal on security guarantees.\n"
)
SECOND = (
    "Title: Moscow\nDate: 2025-12-02\nSource: Mission B\n\n"
    "The Kremlin said Russia supports the security guarantees offered by the United States.\n"
    "Trump said the talks on security guarantees were 95% agreed.\n"
)


def cli(runner: CliRunner, *args: str, code: int = 0) -> str:
    """Run accord; check the exit code; return stdout (stderr on failure)."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output + str(result.exception)
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def db(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> str:
    """A database with the pack and one article: Russia opposes the guarantees."""
    cli(runner, "init", "--db", fresh_db)
    (tmp_path / "first.md").write_text(FIRST)
    cli(runner, "ingest", str(tmp_path / "first.md"), "--db", fresh_db)
    return fresh_db


def test_an_ingested_change_reaches_webhook_and_email_once(
    runner: CliRunner, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook_receiver(Hook(secret=SECRET)) as hook, smtp_server(tmp_path) as mailbox:
        monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ACCORD_SMTP_PORT", str(mailbox.port))
        monkeypatch.setenv("ACCORD_SMTP_CAFILE", str(tmp_path / "smtp-cert.pem"))
        made = json.loads(
            cli(
                runner,
                "alerts", "subscribe", "board", "--issue", "security-guarantees",
                "--webhook", hook.url, "--secret", SECRET, "--email", "analyst@example.org",
                "--db", db, "--json",
            )
        )  # fmt: skip
        assert made["filters"] == {"issue": "security-guarantees", "pack": "ukraine-2025"}
        assert made["webhook_secret"] is None  # given, so not shown back
        # nothing has changed since the subscription was made
        assert json.loads(cli(runner, "alerts", "run", "--db", db, "--json"))["alerts"] == 0

        (tmp_path / "second.md").write_text(SECOND)
        cli(runner, "ingest", str(tmp_path / "second.md"), "--db", db)  # evaluates after ingest
        sent = json.loads(cli(runner, "alerts", "send", "--db", db, "--json"))
        titles = sorted(r["body"]["alerts"][0]["title"] for r in hook.requests)
        assert "security-guarantees: ru stance oppose → support" in titles
        assert any("status none → near_agreement" in t for t in titles)
        assert hook.bad_signatures == 0
        assert len(hook.requests) == len(hook.keys) == len(mailbox.messages)
        assert sent == {"sent": 2 * len(hook.requests), "failed": 0}
        assert all(mailbox.tls)  # every message came over STARTTLS
        mail_keys = {m["X-Accord-Idempotency-Key"].rsplit(":", 1)[0] for m in mailbox.messages}
        hook_keys = {k.rsplit(":", 1)[0] for k in hook.keys}
        assert mail_keys == hook_keys
        assert any("oppose → support" in str(m["Subject"]) for m in mailbox.messages)

        # running again finds nothing and sends nothing; re-ingesting the same bytes neither
        assert json.loads(cli(runner, "alerts", "run", "--db", db, "--json"))["alerts"] == 0
        cli(runner, "ingest", str(tmp_path / "second.md"), "--db", db)
        assert json.loads(cli(runner, "alerts", "send", "--db", db, "--json"))["sent"] == 0
        assert len(hook.requests) == len(titles) and len(mailbox.messages) == len(titles)

    history = json.loads(cli(runner, "alerts", "history", "--db", db, "--json"))
    assert {a["title"] for a in history} == set(titles)
    assert all(
        {d["channel"] for d in a["deliveries"]} == {"webhook", "email"}
        and all(d["sent_at"] for d in a["deliveries"])
        for a in history
    )


def test_a_failing_webhook_is_retried_with_backoff(
    runner: CliRunner, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_ALERT_RETRY_BASE_S", "0.3")
    with webhook_receiver(Hook(secret=SECRET, fail_first=2)) as hook:
        cli(runner, "alerts", "subscribe", "board", "--holder", "ru", "--webhook", hook.url,
            "--secret", SECRET, "--db", db)  # fmt: skip
        (tmp_path / "second.md").write_text(SECOND)
        cli(runner, "ingest", str(tmp_path / "second.md"), "--db", db)
        deadline = time.monotonic() + 20
        while len(hook.requests) < 3 and time.monotonic() < deadline:
            runner.invoke(app, ["alerts", "send", "--db", db])  # fails (exit 1) until the third
            time.sleep(0.05)
        assert json.loads(cli(runner, "alerts", "send", "--db", db, "--json"))["sent"] == 0
    assert len(hook.requests) == 3  # two failures, then the delivery
    assert len(hook.keys) == 1  # one alert, the same key every time
    at = [r["at"] for r in hook.requests]
    assert (at[1] - at[0]).total_seconds() >= 0.3  # the first wait
    assert (at[2] - at[1]).total_seconds() >= 0.6  # doubled
    history = json.loads(cli(runner, "alerts", "history", "--db", db, "--json"))
    [delivery] = history[0]["deliveries"]
    assert (
        delivery["attempts"] == 3 and delivery["sent_at"] and "HTTP 500" in delivery["last_error"]
    )
