"""Record when API tokens are used, at most once a minute per token and server process.

The time is written without an audit event: it is usage, not a change of state, and so it does
not move the data version that the web cache keys on.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accord.db.session import READ_ONLY, session_scope
from accord.users import service as users

log = logging.getLogger(__name__)
USE_STEP_SECONDS = 60.0


class TokenUse:
    """Throttle and write the last-use times of API tokens for one app."""

    def __init__(self, db_url: str, step: float = USE_STEP_SECONDS) -> None:
        """Write to ``db_url`` at most once per ``step`` seconds per token."""
        self.db_url = db_url
        self.step = step
        self.noted: dict[int, float] = {}
        self.lock = threading.Lock()

    def due(self, token_id: int) -> bool:
        """Tell whether this use should be written (and count it as written)."""
        now = time.monotonic()
        with self.lock:
            last = self.noted.get(token_id)
            if last is not None and now - last < self.step:
                return False
            self.noted[token_id] = now
            return True

    def record(self, session: Session, token_id: int) -> None:
        """Write the use: in the request's own transaction when it writes anyway, else apart.

        A writing request on SQLite already holds the write lock, so a second connection would
        wait for it; a reading request's snapshot cannot write, so a short transaction of its
        own does. A failure is logged and retried on the next use: it never fails the request.
        """
        try:
            if session.info.get(READ_ONLY):
                with session_scope(self.db_url) as own:
                    users.record_use(own, token_id)
            else:
                users.record_use(session, token_id)
        except SQLAlchemyError as exc:
            log.warning("could not record the use of API token %s: %s", token_id, exc)
            with self.lock:
                self.noted.pop(token_id, None)
