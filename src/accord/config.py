"""Settings from the environment (``ACCORD_*``), with the database URL and data folder."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path("~/.local/share/accord")
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_IMPORT_BYTES = 256 * 1024 * 1024


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


class Settings(BaseSettings):
    """Runtime configuration read from ``ACCORD_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    home: Path = Field(default=DEFAULT_HOME, description="data folder (database, blobs, reports)")
    db: str | None = Field(default=None, description="SQLAlchemy database URL")
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, gt=0)
    max_import_bytes: int = Field(
        default=DEFAULT_MAX_IMPORT_BYTES,
        gt=0,
        description="largest incident import file accepted over HTTP (the CLI reads any size)",
    )
    user: str = Field(default_factory=_default_user, description="name written to the audit log")
    pack: str = Field(default="ukraine-2025", description="pack loaded by `accord init`")
    secret_key: str | None = Field(default=None, description="key signing web session cookies")
    cookie_secure: bool | None = Field(
        default=None,
        description=(
            "send the session cookie over HTTPS only; unset: when the request came over HTTPS "
            "(TLS, or a trusted proxy's X-Forwarded-Proto)"
        ),
    )
    serve_threads: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="threads per server process that run request handlers (database work)",
    )
    page_cache_mb: int = Field(
        default=16,
        ge=0,
        le=4096,
        description="memory (MB) per server process for incident list pages kept between writes",
    )
    import_reader: Literal["auto", "process", "inline"] = Field(
        default="auto",
        description=(
            "where a large ACLED import reads its file: in a child process while the importing "
            "process stores, in the importing process, or (auto) in a child for files of 64 MB "
            "and more when two CPUs are free"
        ),
    )
    extract_mode: Literal["rules", "accurate"] = Field(
        default="rules",
        description=(
            "claim extraction: rules only (fast), or rules with the learned scorer setting each "
            "claim's confidence and dropping unlikely ones"
        ),
    )
    public_view: bool = Field(
        default=False,
        description=(
            "serve /public without sign-in: the last release's files, the board as of it, the "
            "rulings and daily reports published by then (viewers' privacy rules)"
        ),
    )
    viewer_coarsen_deg: float = Field(
        default=0.01,
        ge=0,
        le=1,
        description="grid step (degrees) that incident coordinates are rounded to for viewers",
    )

    feeds_allow_private: bool = Field(
        default=False,
        description=(
            "let feed polling fetch private, loopback and link-local addresses (a local test "
            "server, an intranet feed); off, such addresses are refused"
        ),
    )

    @property
    def home_dir(self) -> Path:
        """Return the expanded data folder."""
        return self.home.expanduser()

    @property
    def blob_dir(self) -> Path:
        """Return the folder of the content-addressed blob store."""
        return self.home_dir / "blobs"

    @property
    def scorer_model(self) -> Path:
        """Return the scorer model in use: one trained here (``accord extract train``) or bundled."""
        trained = self.home_dir / "models" / "scorer.json"
        if trained.exists():
            return trained
        from accord.extract.scorer import BUNDLED

        return BUNDLED

    def database_url(self, override: str | None = None) -> str:
        """Return the database URL: the override, ``ACCORD_DB``, or a SQLite file in home (made)."""
        if override:
            return override
        if self.db:
            return self.db
        self.home_dir.mkdir(parents=True, exist_ok=True)  # the default home is ours to make
        return f"sqlite:///{self.home_dir / 'accord.db'}"


def get_settings(**overrides: object) -> Settings:
    """Read settings afresh from the environment, applying explicit overrides."""
    return Settings(**overrides)  # type: ignore[arg-type]
