"""Polite, guarded HTTP fetching for feeds and article pages.

Every request goes through :class:`Fetcher`, which

- refuses private, loopback, link-local and other non-public addresses (each redirect hop too)
  unless the operator allows them (``ACCORD_FEEDS_ALLOW_PRIVATE=1``);
- honours robots.txt (RFC 9309: a 4xx robots file allows everything, an unreachable one
  disallows everything for this run);
- keeps a per-host concurrency cap and a minimum interval between requests to one host;
- sends conditional GETs (ETag, Last-Modified);
- caps time (connect, read and a whole-response deadline against slow drips), size (declared
  and read, after decompression, so a small gzip bomb cannot inflate), and redirects (with loop
  detection);
- retries connection failures, 429 and 5xx with exponential backoff (honouring a short
  Retry-After).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from accord import __version__

USER_AGENT = f"accord-feeds/{__version__} (+https://github.com/accord; peace-process monitor)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A fetch that failed for good; the message is one line naming the URL."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        """Keep the message and, for an HTTP error answer, its status."""
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners of the fetcher (defaults suit polling public news sites)."""

    allow_private: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 1.0
    max_retry_after_s: float = 30.0
    host_concurrency: int = 2
    host_interval_s: float = 1.0
    respect_robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class Response:
    """A finished response: final URL, status (200 or 304), lower-cased headers and the body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        """Return whether the server answered 304 Not Modified."""
        return self.status == 304


@dataclass
class _HostGate:
    """Per-host concurrency cap and minimum spacing between request starts."""

    slots: threading.Semaphore
    interval_s: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0

    def wait_turn(self) -> None:
        """Sleep until this host may receive the next request."""
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval_s
        if start > now:
            time.sleep(start - now)


def check_address(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: the URL has no host")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise FetchError(f"{url}: cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"{url}: {host} resolves to the non-public address {address}; "
                "set ACCORD_FEEDS_ALLOW_PRIVATE=1 to allow private addresses"
            )


class _Decoder:
    """Content-Encoding decoder that stops as soon as the decoded size passes the cap."""

    def __init__(self, encoding: str, url: str, cap: int) -> None:
        """Pick the decoder of a Content-Encoding; refuse unknown ones."""
        self.url = url
        self.cap = cap
        self.size = 0
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.inflater = None
        elif enc in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.inflater = zlib.decompressobj()
        else:
            raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}")
        self.parts: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        """Decode one raw chunk, refusing output past the cap."""
        if self.inflater is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            try:
                out = self.inflater.decompress(data, self.cap - self.size + 1)
            except zlib.error as exc:
                raise FetchError(f"{self.url}: corrupt compressed body ({exc})") from exc
            self._keep(out)
            data = self.inflater.unconsumed_tail

    def _keep(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > self.cap:
            raise FetchError(
                f"{self.url}: response is over the limit of {self.cap:,} bytes (decoded)"
            )
        self.parts.append(out)

    def body(self) -> bytes:
        """Return the decoded body."""
        return b"".join(self.parts)


class Fetcher:
    """A thread-safe HTTP client with accord's fetching rules (see the module docstring)."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        """Open a connection pool that follows the policy."""
        self.policy = policy or FetchPolicy()
        p = self.policy
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
            trust_env=False,
        )
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        """Return the fetcher."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the pool."""
        self.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> Response:
        """GET a URL by the rules; return the final 200 or 304 response or raise FetchError."""
        check_address(url, allow_private=self.policy.allow_private)
        if self.policy.respect_robots:
            self._check_robots(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        return self._follow(url, headers)

    def _follow(self, url: str, headers: dict[str, str]) -> Response:
        seen = {url}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            response = self._with_retries(current, headers)
            if response.status not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"{current}: redirect without a Location header")
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(f"{url}: redirect loop at {target}")
            seen.add(target)
            current = target
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        p = self.policy
        attempt = 0
        while True:
            try:
                response = self._once(url, headers)
            except httpx.TransportError as exc:
                if attempt >= p.retries:
                    kind = type(exc).__name__
                    raise FetchError(f"{url}: {kind} after {attempt + 1} attempts") from exc
                delay = p.backoff_s * 2**attempt
            else:
                if response.status not in RETRY_STATUSES or attempt >= p.retries:
                    if response.status in (200, 304) or 300 <= response.status < 400:
                        return response
                    raise FetchError(f"{url}: HTTP {response.status}", status=response.status)
                delay = max(p.backoff_s * 2**attempt, self._retry_after(response))
            time.sleep(delay)
            attempt += 1

    def _retry_after(self, response: Response) -> float:
        value = response.headers.get("retry-after", "")
        try:
            return min(float(value), self.policy.max_retry_after_s)
        except ValueError:
            return 0.0

    def _gate(self, url: str) -> _HostGate:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(
                    threading.Semaphore(self.policy.host_concurrency), self.policy.host_interval_s
                )
                self._gates[host] = gate
            return gate

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        p = self.policy
        check_address(url, allow_private=p.allow_private)
        gate = self._gate(url)
        with gate.slots:
            gate.wait_turn()
            deadline = time.monotonic() + p.total_timeout
            with self.client.stream("GET", url, headers=headers) as r:
                lower = {k.lower(): v for k, v in r.headers.items()}
                if r.status_code != 200:
                    return Response(str(r.url), r.status_code, lower)
                declared = lower.get("content-length", "")
                if declared.isdigit() and int(declared) > p.max_bytes:
                    raise FetchError(
                        f"{url}: response of {int(declared):,} bytes is over the limit of "
                        f"{p.max_bytes:,} bytes"
                    )
                decoder = _Decoder(lower.get("content-encoding", ""), url, p.max_bytes)
                for chunk in r.iter_raw():
                    decoder.feed(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url}: response not complete within {p.total_timeout:g} s"
                        )
                return Response(str(r.url), 200, lower, decoder.body())

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            known = origin in self._robots
            parser = self._robots.get(origin)
        if not known:
            parser = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = parser
        if parser is not None and not parser.can_fetch(self.policy.user_agent, url):
            raise FetchError(f"{url}: disallowed by {origin}/robots.txt")

    def _load_robots(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            response = self._follow(origin + "/robots.txt", {})
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                # RFC 9309: an unavailable robots.txt allows everything
                parser.allow_all = True  # type: ignore[attr-defined]
            else:
                # unreachable: assume complete disallow for this run
                parser.disallow_all = True  # type: ignore[attr-defined]
            return parser
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        return parser
