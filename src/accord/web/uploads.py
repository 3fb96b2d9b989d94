"""Uploaded files: a safe name, a size cap, and error messages that name the upload, not our disk.

An upload is copied into a private temporary folder under its own (base) name, so that the
readers see the file type they expect; the folder's path must never reach the client, so
errors raised while the file is read are reworded to name the upload instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath

from fastapi import HTTPException, UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.errors import AccordError

CHUNK = 1 << 20
# the longest file name most file systems accept, in bytes
MAX_NAME_BYTES = 255
# multipart framing around the file (boundaries, part headers, the CSRF field) fits in this
MULTIPART_SLACK = 64 * 1024


def upload_name(filename: str | None, default: str) -> str:
    """Return the base name of an uploaded file, or refuse one that names no file (400)."""
    if not filename:
        return default
    name = PureWindowsPath(PurePosixPath(filename).name).name  # drop folders of either kind
    if name in ("", ".", "..") or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise HTTPException(status_code=400, detail=f"file name {filename!r} names no file")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise HTTPException(
            status_code=400, detail=f"file name is longer than {MAX_NAME_BYTES} bytes"
        )
    return name


def too_large(limit: int, setting: str) -> HTTPException:
    """Return the 413 error for an upload over a limit, naming the setting that raises it."""
    return HTTPException(
        status_code=413,
        detail=f"the file is larger than the limit of {limit:,} bytes (set {setting} to change it)",
    )


def save_upload(upload: UploadFile, path: Path, limit: int, setting: str) -> int:
    """Copy an upload to a file in chunks, refusing it (413) once it passes the limit."""
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise too_large(limit, setting)
            out.write(chunk)
    return written


@contextmanager
def naming_the_upload(folder: Path, name: str) -> Iterator[None]:
    """Reword domain errors raised inside the block so they name the upload, not the folder."""
    try:
        yield
    except AccordError as exc:
        message = str(exc).replace(str(folder / name), name).replace(str(folder), "(upload)")
        exc.args = (message,)
        raise


class UploadLimit:
    """Refuse (413) an upload whose declared length is over the route's limit, before it is read.

    The handler checks the file's real size as it copies it; this check spares the server from
    receiving and spooling a body it would refuse anyway.
    """

    def __init__(self, app: ASGIApp, limits: dict[str, tuple[int, str]]) -> None:
        """Wrap an app; ``limits`` maps a POST path to (file byte limit, setting name)."""
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 for an over-long POST to a limited path; pass everything else on."""
        limit = self.limits.get(scope["path"]) if scope["type"] == "http" else None
        if limit is not None and scope["method"] == "POST":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > limit[0] + MULTIPART_SLACK:
                error = too_large(*limit)
                await _problem(send, error.status_code, str(error.detail))
                return
        await self.app(scope, receive, send)


async def _problem(send: Send, status: int, detail: str) -> None:
    body = json.dumps(
        {"type": "about:blank", "title": "HTTP error", "status": status, "detail": detail}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
