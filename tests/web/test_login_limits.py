"""Failed sign-ins slow down one name from one address; they never lock the name out elsewhere."""

from fastapi.testclient import TestClient

from accord.web import security
from conftest import PASSWORD

WRONG = {"name": "council", "password": "not the password"}
RIGHT = {"name": "council", "password": PASSWORD}


def _from(client: TestClient, address: str) -> TestClient:
    """A client of the same app whose requests come from another address."""
    return TestClient(client.app, client=(address, 40000))


def test_an_attacker_cannot_lock_the_owner_out(web) -> None:  # type: ignore[no-untyped-def]
    """Many failures for `council` from one address; the owner still signs in from another."""
    client, _tokens, _source = web
    attacker = _from(client, "203.0.113.9")
    for _ in range(security.LOGIN_ATTEMPTS + 3):
        assert attacker.post("/login", data=WRONG).status_code in (401, 429)
    owner = _from(client, "198.51.100.7")
    signed_in = owner.post("/login", data=RIGHT, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.cookies.get("accord_session")
    slowed = attacker.post("/login", data=RIGHT, follow_redirects=False)
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) >= 1


def test_failures_delay_rather_than_block(web) -> None:  # type: ignore[no-untyped-def]
    """The wait grows with each failure and, once over, the right password gets in."""
    client, _tokens, _source = web
    clock = [1000.0]
    client.app.state.login_limiter.clock = lambda: clock[0]
    for _ in range(security.LOGIN_ATTEMPTS):
        assert client.post("/login", data=WRONG).status_code == 401
    first = client.post("/login", data=RIGHT)
    assert first.status_code == 429 and first.headers["retry-after"] == "2"
    clock[0] += security.FIRST_DELAY + 0.1
    assert client.post("/login", data=WRONG).status_code == 401  # checked, and wrong again
    second = client.post("/login", data=RIGHT)
    assert second.status_code == 429 and second.headers["retry-after"] == "4"  # doubled
    clock[0] += 2 * security.FIRST_DELAY + 0.1
    assert client.post("/login", data=RIGHT, follow_redirects=False).status_code == 303


def test_delay_is_capped_and_an_address_spraying_names_is_slowed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    limiter = security.LoginLimiter()
    clock = [1000.0]
    limiter.clock = lambda: clock[0]
    for _ in range(security.LOGIN_ATTEMPTS + 20):
        limiter.failed("alice", "10.0.0.1")
    assert limiter.wait("alice", "10.0.0.1") == security.MAX_DELAY
    assert limiter.wait("alice", "10.0.0.2") == 0  # the same name from elsewhere: no wait
    spray = security.LoginLimiter()
    spray.clock = lambda: clock[0]
    for n in range(security.ADDRESS_ATTEMPTS):
        assert spray.wait(f"user-{n}", "10.0.0.3") == 0
        spray.failed(f"user-{n}", "10.0.0.3")
    assert spray.wait("someone-else", "10.0.0.3") == security.FIRST_DELAY
    assert spray.wait("someone-else", "10.0.0.4") == 0


def test_login_limiter_forgets_old_failures(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Failed logins under many names cannot grow the server's memory without bound."""
    monkeypatch.setattr(security, "SWEEP_ABOVE", 50)
    limiter = security.LoginLimiter()
    clock = [1000.0]
    limiter.clock = lambda: clock[0]
    for _ in range(security.LOGIN_ATTEMPTS):
        limiter.failed("alice", "10.0.0.1")
    assert limiter.wait("alice", "10.0.0.1") == security.FIRST_DELAY
    clock[0] += security.FORGET_SECONDS + 1
    assert limiter.wait("alice", "10.0.0.1") == 0
    assert ("pair", "alice", "10.0.0.1") not in limiter.failures
    for n in range(200):  # a flood of made-up names from many addresses, each failing once
        limiter.failed(f"name-{n}", f"10.1.{n}.1")
        clock[0] += security.FORGET_SECONDS / 20
        assert len(limiter.failures) <= 52  # swept past 50: at most 21 failures' two keys stay
