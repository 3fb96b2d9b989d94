"""Keep the server's memory flat: cap glibc's malloc arenas before worker threads start.

Sync endpoints run on a pool of threads, and glibc gives busy threads their own malloc arenas
(up to eight per core), each keeping freed memory for reuse. Under steady load the server's
resident memory then creeps up for minutes as arenas warm up. Two arenas hold it flat at no
measurable cost in speed (see docs/RELIABILITY.md, "Soak"). ``MALLOC_ARENA_MAX`` set by the
operator wins.
"""

from __future__ import annotations

import ctypes
import os
import sys

ARENA_ENV = "MALLOC_ARENA_MAX"
DEFAULT_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter number in glibc's malloc.h


def limit_malloc_arenas() -> int | None:
    """Cap this process's arenas (and those of workers it starts); return the cap, or None.

    Does nothing off glibc Linux. Worker processes inherit the cap through the environment.
    """
    if not sys.platform.startswith("linux"):
        return None
    wanted = os.environ.setdefault(ARENA_ENV, str(DEFAULT_ARENAS))
    try:
        arenas = int(wanted)
        libc = ctypes.CDLL("libc.so.6")
    except (ValueError, OSError):
        return None  # not a number, or not glibc (musl has no arenas to cap)
    return arenas if libc.mallopt(_M_ARENA_MAX, arenas) == 1 else None
