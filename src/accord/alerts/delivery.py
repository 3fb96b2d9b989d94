"""Deliver one outbox message: a signed webhook POST or an e-mail over SMTP with STARTTLS.

Webhooks carry ``Idempotency-Key`` (the same on every retry, so a receiver can drop repeats) and
``X-Accord-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` keyed with the
subscription's secret. E-mails carry the key in ``Message-ID`` and ``X-Accord-Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate

import httpx

from accord.alerts.outbox import Leased
from accord.alerts.settings import AlertSettings


class DeliveryError(Exception):
    """A delivery attempt failed; the message is retried later."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value of a webhook body."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, tolerance_s: int = 300) -> bool:
    """Check a signature header against a body (for receivers, and the tests)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def body_of(message: Leased) -> bytes:
    """Return the JSON body sent for a message."""
    return json.dumps(message.payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def send_webhook(message: Leased, settings: AlertSettings, client: httpx.Client) -> None:
    """POST a message to its webhook; any answer but 2xx, or no answer in time, is a failure."""
    body = body_of(message)
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": message.idempotency_key,
        "X-Accord-Signature": sign(message.secret or "", int(time.time()), body),
        "User-Agent": "accord-alerts",
    }
    try:
        response = client.post(
            message.target, content=body, headers=headers, timeout=settings.alert_timeout_s
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {message.target}: {type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {message.target}: HTTP {response.status_code}")


def email_text(message: Leased) -> str:
    """Return the plain-text body of an alert or digest e-mail."""
    payload = message.payload
    alerts = payload.get("alerts") or []
    lines = [message.subject, ""]
    for alert in alerts if isinstance(alerts, list) else []:
        lines.append(f"- {alert.get('title')} ({alert.get('created_at')})")
    lines += ["", f"Subscription {payload.get('subscription')}", ""]
    return "\n".join(lines)


def send_email(message: Leased, settings: AlertSettings) -> None:
    """Send a message by SMTP, upgrading with STARTTLS unless turned off."""
    if not settings.smtp_host:
        raise DeliveryError("e-mail: ACCORD_SMTP_HOST is not set")
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = message.target
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    domain = settings.smtp_from.rsplit("@", 1)[-1]
    mail["Message-ID"] = (
        f"<{hashlib.sha256(message.idempotency_key.encode()).hexdigest()}@{domain}>"
    )
    mail["X-Accord-Idempotency-Key"] = message.idempotency_key
    mail.set_content(email_text(message))
    mail.add_attachment(
        body_of(message), maintype="application", subtype="json", filename="alert.json"
    )
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.alert_timeout_s
        ) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                cafile = str(settings.smtp_cafile) if settings.smtp_cafile else None
                smtp.starttls(context=ssl.create_default_context(cafile=cafile))
                smtp.ehlo()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"e-mail to {message.target}: {type(exc).__name__}: {exc}") from exc


def deliver(message: Leased, settings: AlertSettings, client: httpx.Client) -> None:
    """Deliver a message on its channel or raise DeliveryError."""
    if message.channel == "webhook":
        send_webhook(message, settings, client)
    elif message.channel == "email":
        send_email(message, settings)
    else:
        raise DeliveryError(f"unknown channel {message.channel!r}")
