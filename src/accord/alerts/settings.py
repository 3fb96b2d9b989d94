"""Delivery settings, read from ``ACCORD_*`` environment variables (see the README's Alerts part)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AlertSettings(BaseSettings):
    """How alerts are delivered: SMTP server, time-outs, retries, leases."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail alerts")
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = Field(default="accord@localhost", description="sender address")
    smtp_starttls: bool = Field(default=True, description="upgrade with STARTTLS (refuse if not)")
    smtp_cafile: Path | None = Field(default=None, description="CA file to check the server with")
    alert_timeout_s: float = Field(default=10.0, gt=0, description="per delivery attempt")
    alert_retry_base_s: float = Field(default=30.0, gt=0, description="first retry's wait")
    alert_lease_s: float = Field(default=60.0, gt=0, description="a sender's hold on a message")


def alert_settings() -> AlertSettings:
    """Return the delivery settings from the environment."""
    return AlertSettings()
