"""Browser sessions of ``narrate serve``: one random id, one private temporary folder, one expiry.

Every file a session uploads or downloads lives in its own folder under the server's root
folder (``tempfile.mkdtemp``); nothing is written anywhere else.  A session unused for
``ttl`` seconds is removed with its folder on the next request (and all are removed when
the server stops).  The clock is a parameter so expiry can be tested without waiting.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

COOKIE = "narrate_session"
DEFAULT_TTL = 4 * 3600  # seconds unused before a session and its files are deleted
DEFAULT_MAX_SESSIONS = 200  # beyond this many, the least recently used session is deleted


class Session:
    """One browser's work: its folder and its state (the workspace); ``lock`` serialises its requests."""

    def __init__(self, sid: str, folder: Path, now: float) -> None:
        self.id = sid
        self.folder = folder
        self.last_seen = now
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {}
        self._counter = 0

    def new_path(self, suffix: str) -> Path:
        """A fresh file name inside the session's folder (never a name the browser chose)."""
        self._counter += 1
        return self.folder / f"f{self._counter}{suffix}"


class SessionStore:
    """Sessions by id, with expiry and a cap on their number."""

    def __init__(self, ttl: float = DEFAULT_TTL, max_sessions: int = DEFAULT_MAX_SESSIONS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_sessions = max_sessions
        self.clock = clock
        self.root = Path(tempfile.mkdtemp(prefix="narrate-web-"))
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> Session | None:
        """The live session with this id (refreshing its expiry), or None."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            session = self._sessions.get(sid or "")
            if session is not None:
                session.last_seen = now
                self._sessions.move_to_end(session.id)
            return session

    def create(self) -> Session:
        now = self.clock()
        with self._lock:
            self._expire(now)
            while len(self._sessions) >= self.max_sessions:
                _, oldest = self._sessions.popitem(last=False)
                _remove(oldest)
            sid = secrets.token_urlsafe(32)
            folder = Path(tempfile.mkdtemp(prefix="s-", dir=self.root))
            session = Session(sid, folder, now)
            self._sessions[sid] = session
            return session

    def __len__(self) -> int:
        return len(self._sessions)

    def _expire(self, now: float) -> None:
        for sid in [s for s, session in self._sessions.items() if now - session.last_seen > self.ttl]:
            _remove(self._sessions.pop(sid))

    def close(self) -> None:
        """Delete every session and the root folder (server shutdown)."""
        with self._lock:
            self._sessions.clear()
            shutil.rmtree(self.root, ignore_errors=True)


def _remove(session: Session) -> None:
    session.state.clear()
    shutil.rmtree(session.folder, ignore_errors=True)
