"""``accord feeds`` and ``accord watch`` as a user runs them (CLI runner and a real process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from feeds.feedserver import FeedServer, Item, article_text, rss


def _run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_add_list_show_poll_remove(
    feed_db: str,
    server: FeedServer,
    home: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_FEEDS_ALLOW_PRIVATE", "1")
    server.static("/f.xml", rss([Item("a", server.url("/a"), "Talks resume", article_text("a"))]))
    code, out = _run(
        runner,
        "feeds",
        "add",
        server.url("/f.xml"),
        "--name",
        "wire",
        "--publisher",
        "Wire",
        "--language",
        "en",
        "--interval",
        "60",
        "--db",
        feed_db,
        "--json",
    )
    assert code == 0, out
    feed = json.loads(out)
    assert feed["name"] == "wire" and feed["interval_s"] == 60
    code, out = _run(runner, "feeds", "add", server.url("/f.xml"), "--db", feed_db)
    assert code == 4 and "already watched" in out
    code, out = _run(runner, "feeds", "add", "ftp://x/f", "--db", feed_db)
    assert code == 2 and "http://" in out

    code, out = _run(runner, "feeds", "poll", "--db", feed_db, "--json", "--no-extract")
    assert code == 0, out
    assert json.loads(out)["new_items"] == 1
    code, out = _run(runner, "feeds", "poll", "--db", feed_db, "--json", "--no-extract")
    assert json.loads(out)["new_items"] == 0

    code, out = _run(runner, "feeds", "list", "--db", feed_db, "--json")
    listed = json.loads(out)["feeds"]
    assert listed[0]["items_seen"] == 1 and listed[0]["last_success_at"]
    code, out = _run(runner, "feeds", "list", "--db", feed_db)
    assert "wire" in out and "ok" in out
    code, out = _run(runner, "feeds", "show", str(feed["id"]), "--db", feed_db, "--json")
    shown = json.loads(out)
    assert shown["items_stored"] == 1 and shown["recent_items"][0]["source_id"]
    code, out = _run(runner, "feeds", "show", "99", "--db", feed_db)
    assert code == 3 and "not watched" in out
    code, out = _run(runner, "feeds", "remove", server.url("/f.xml"), "--db", feed_db, "--json")
    assert code == 0 and json.loads(out)["removed"]["id"] == feed["id"]
    code, out = _run(runner, "feeds", "list", "--db", feed_db, "--json")
    assert json.loads(out)["feeds"] == []


def test_poll_reports_refused_private_address(
    feed_db: str, server: FeedServer, home: Path, runner: CliRunner
) -> None:
    server.static("/f.xml", rss([]))
    _run(runner, "feeds", "add", server.url("/f.xml"), "--db", feed_db)
    code, out = _run(runner, "feeds", "poll", "--db", feed_db)
    assert code == 1 and "ACCORD_FEEDS_ALLOW_PRIVATE" in out


def test_watch_picks_up_new_items_and_stops_on_sigterm(
    feed_db: str, server: FeedServer, tmp_path: Path
) -> None:
    first = Item("w1", server.url("/w/1"), "First", article_text("first"))
    server.static("/w.xml", rss([first]))
    env = {
        **os.environ,
        "ACCORD_HOME": str(tmp_path / "home"),
        "ACCORD_DB": feed_db,
        "ACCORD_FEEDS_ALLOW_PRIVATE": "1",
        "ACCORD_USER": "watcher",
    }
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    cli = [sys.executable, "-c", "from accord.cli.main import run; run()"]
    subprocess.run(
        [*cli, "feeds", "add", server.url("/w.xml"), "--interval", "1"],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [*cli, "watch", "--json", "--no-extract"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        lines: list[dict[str, object]] = []
        second_added = False
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line:
                break
            lines.append(json.loads(line))
            if not second_added and sum(int(r["new_items"]) for r in lines) == 1:
                second = Item("w2", server.url("/w/2"), "Second", article_text("second"))
                server.static("/w.xml", rss([first, second]))
                second_added = True
            if sum(int(r["new_items"]) for r in lines) == 2:
                break
        assert sum(int(r["new_items"]) for r in lines) == 2, lines
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "stopped" in err
