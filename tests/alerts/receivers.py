"""Real local receivers for alert deliveries: a webhook HTTP server and an SMTP server (STARTTLS).

The webhook receiver checks each signature, keeps every request, and dedupes on the
``Idempotency-Key`` header as a careful receiver would. It can be told to fail the first few
requests, or to hold a request open until released (for the kill test).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from accord.alerts.delivery import verify


@dataclass
class Hook:
    """What the webhook receiver saw, and how it should behave."""

    secret: str | None = None
    fail_first: int = 0  # answer 500 to this many requests first
    hold_after: int | None = None  # hold requests open once this many keys have arrived
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""

    @property
    def keys(self) -> Counter[str]:
        """Return how many times each idempotency key arrived (answered or not)."""
        return Counter(r["key"] for r in self.requests)

    def unique(self) -> list[dict[str, Any]]:
        """Return the first arrival of each key: what a deduping receiver acts on."""
        seen: set[str] = set()
        out = []
        for r in self.requests:
            if r["key"] not in seen:
                seen.add(r["key"])
                out.append(r)
        return out

    def wait_for(self, count: int, timeout: float = 20.0) -> bool:
        """Wait until ``count`` distinct keys have arrived."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.keys) >= count, timeout)


def _handler(hook: Hook) -> type[BaseHTTPRequestHandler]:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            signature = self.headers.get("X-Accord-Signature", "")
            if hook.secret is not None and not verify(hook.secret, signature, body):
                hook.bad_signatures += 1
            with hook.arrived:
                hook.requests.append(
                    {
                        "key": self.headers.get("Idempotency-Key"),
                        "signature": signature,
                        "body": json.loads(body),
                        "at": dt.datetime.now(dt.UTC),
                    }
                )
                n = len(hook.requests)
                distinct = len(hook.keys)
                hook.arrived.notify_all()
            if hook.hold_after is not None and distinct > hook.hold_after:
                hook.release.wait(30)
            status = 500 if n <= hook.fail_first else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Receiver


@contextmanager
def webhook_receiver(hook: Hook) -> Iterator[Hook]:
    """Serve the receiver on a free local port while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hook))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield hook
    finally:
        hook.release.set()
        server.shutdown()
        server.server_close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1/localhost and its key; return both paths."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Mailbox:
    """Messages the SMTP server accepted, and whether each came over TLS."""

    messages: list[Message] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)
    port: int = 0


class _Store:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.box.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        self.box.tls.append(session.ssl is not None)
        return "250 stored"


@contextmanager
def smtp_server(folder: Path) -> Iterator[Mailbox]:
    """Run an aiosmtpd server on a free local port that requires STARTTLS."""
    from aiosmtpd.controller import Controller

    cert, key = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    box = Mailbox()
    with socket.socket() as probe:  # a free port: the controller checks its own port on start
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    controller = Controller(
        _Store(box),
        hostname="127.0.0.1",
        port=free,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()
