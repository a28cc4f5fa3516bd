"""Staff sign-in: the password check, and one limit on wrong guesses for the whole process.

Entry point: `LIMITER.attempt(client, given, expected) -> Verdict`. The limit lives in the
server process, not in a browser session, so opening a new session does not start the count
again:
- per client address: 5 wrong passwords, then a wait of 30 seconds that doubles with each
  further wrong one, at most 15 minutes; a client's count is forgotten an hour after its last
  wrong password;
- overall: after 20 wrong passwords within a minute, from anywhere, every attempt waits until
  the oldest of them is a minute old (a guesser with many addresses gets 20 guesses a minute).
While a wait lasts even the right password is refused. Wrong passwords are logged (the client
address and the count, never what was typed). Thread-safe: every session shares `LIMITER`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

FREE_ATTEMPTS = 5
FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 30, 15 * 60
FAILURES_PER_MINUTE = 20
FORGET_AFTER_SECONDS = 60 * 60
MAX_CLIENTS = 10_000  # clients remembered at once (the oldest are forgotten first)
LOCAL = "local"


@dataclass(frozen=True)
class Verdict:
    """What an attempt gave: signed in, or refused. `wait` is how many seconds the client must
    wait before trying again (0: it may try now); `tries_left` how many more wrong passwords
    it may type before a wait; `everyone` is True when the overall limit made it wait."""

    signed_in: bool
    wait: int = 0
    tries_left: int = 0
    everyone: bool = False
    refused: bool = False  # True: not checked at all, because a wait was still running


def wait_after(failures: int) -> int:
    """Seconds to wait after this many wrong passwords in a row: none for the first 4, 30 s
    after the 5th, doubling with each further one, at most 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT_SECONDS)


def client_key(peer: str | None, forwarded_for: str | None = None) -> str:
    """Who is signing in, as the limit counts them: the connection's address, or behind a
    reverse proxy on this host (no address of its own) the address the proxy added last to
    X-Forwarded-For (addresses before it are written by the client and could be anything)."""
    if peer:
        return peer
    if forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return LOCAL


@dataclass
class _Client:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class Limiter:
    """Wrong-password counts per client and overall, shared by every session."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 per_minute: int = FAILURES_PER_MINUTE, max_clients: int = MAX_CLIENTS):
        self._clock = clock
        self._per_minute = per_minute
        self._max_clients = max_clients
        self._lock = threading.Lock()
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._recent: deque[float] = deque()  # times of the wrong passwords of the last minute

    def attempt(self, client: str, given: str, expected: str) -> Verdict:
        """Check one password attempt from `client`."""
        with self._lock:
            now = self._clock()
            while self._recent and self._recent[0] <= now - 60:
                self._recent.popleft()
            record = self._client(client, now)
            if record.locked_until > now:
                return Verdict(False, wait=math.ceil(record.locked_until - now), refused=True)
            if len(self._recent) >= self._per_minute:
                return Verdict(False, wait=math.ceil(self._recent[0] + 60 - now),
                               everyone=True, refused=True)
            if _same(given, expected):
                self._clients.pop(client, None)
                return Verdict(True)
            record.failures += 1
            record.last_failure = now
            wait = wait_after(record.failures)
            record.locked_until = now + wait
            self._recent.append(now)
            overall = len(self._recent)
        logger.warning("staff sign-in: wrong password from %s (%d in a row; %s)", client,
                       record.failures, f"next try in {wait} s" if wait else "no wait yet")
        if overall == self._per_minute:
            logger.warning("staff sign-in: %d wrong passwords within a minute; every sign-in "
                           "waits until they are a minute old", overall)
        return Verdict(False, wait=wait, tries_left=max(0, FREE_ATTEMPTS - record.failures))

    def _client(self, client: str, now: float) -> _Client:
        record = self._clients.get(client)
        if record is not None and record.locked_until <= now and \
                now - record.last_failure > FORGET_AFTER_SECONDS:
            record = None
        if record is None:
            record = self._clients[client] = _Client()
        self._clients.move_to_end(client)
        while len(self._clients) > self._max_clients:
            self._clients.popitem(last=False)
        return record


def _same(given: str, expected: str) -> bool:
    """Digests of equal length, compared in constant time: neither the content nor the length
    of the password shows in how long the check takes."""
    return hmac.compare_digest(_digest(given), _digest(expected))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


LIMITER = Limiter()
