"""Canonical article URLs: one key for the tracking-tagged, AMP, mobile and plain variants."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a reader came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "ref",
        "ref_src",
        "ref_url",
        "smid",
        "sr_share",
        "spm",
        "_ga",
        "_gl",
        "at_medium",
        "at_campaign",
        "taid",
        "rss",
        "outputtype",
        "amp",
        "guccounter",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "mkt_", "pk_", "hsa_", "__")
MOBILE_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "amp-")
_AMP_SUFFIX = re.compile(r"(/amp/?|\.amp)$", re.IGNORECASE)
_AMP_EXT = re.compile(r"\.amp(\.html?)$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Return the matching key of an article URL.

    Lower-cases scheme and host, counts http and https as one, drops ``www.``, ``m.``,
    ``mobile.`` and ``amp.`` host prefixes, AMP path forms (``/amp``, ``/amp/`` prefix, ``.amp``,
    ``.amp.html``), default ports, fragments, trailing slashes and tracking parameters, and sorts
    the remaining parameters. The result identifies the story; it is not meant to be fetched.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    changed = True
    while changed:
        changed = False
        for prefix in MOBILE_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix) :]
                changed = True
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path or "/"
    if path.lower().startswith("/amp/"):
        path = path[4:]
    path = _AMP_EXT.sub(r"\1", path)
    path = _AMP_SUFFIX.sub("", path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))
