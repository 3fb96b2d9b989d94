"""The blob store refuses bytes that do not match the digest it is given, and fsyncs its folders."""

import hashlib
import os
from pathlib import Path

import pytest

from accord.errors import IntegrityFailure
from accord.sources.blobs import BlobStore


def test_put_refuses_bytes_that_do_not_match_the_given_digest(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    claimed = hashlib.sha256(b"what the caller meant to store").hexdigest()
    with pytest.raises(IntegrityFailure, match=claimed):
        store.put(b"other bytes", claimed)
    assert not store.path_for(claimed).exists()
    assert not any(p.is_file() for p in store.root.rglob("*")) if store.root.exists() else True


def test_put_accepts_the_right_digest_and_none(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = b"Kyiv and Moscow exchanged prisoners."
    digest = hashlib.sha256(data).hexdigest()
    assert store.put(data, digest) == digest
    assert store.put(b"no digest given") == hashlib.sha256(b"no digest given").hexdigest()
    assert store.get(digest) == data and store.check(digest) is None


def test_relative_path_is_the_only_place_of_a_blob(tmp_path: Path) -> None:
    digest = "ab" + "cd" + "0" * 60
    assert BlobStore.relative_path(digest) == f"ab/cd/{digest}"
    for bad in ("../escaped.txt", digest.upper(), digest[:-1], "/" + digest[1:]):
        with pytest.raises(ValueError):
            BlobStore.relative_path(bad)
    assert BlobStore(tmp_path).check("../x") is not None


def test_put_fsyncs_the_file_and_every_folder_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file, the blob's folder (the rename) and each folder that got a new sub-folder."""
    store = BlobStore(tmp_path / "blobs")
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    digest = store.put(b"first blob")
    folder = store.path_for(digest).parent
    # the temp file is fsynced under its temporary name, then the folders
    assert Path(synced[0]).parent == folder
    assert synced[1:] == [str(folder), str(folder.parent), str(store.root), str(tmp_path)]
    synced.clear()
    store.put(b"first blob")  # present: nothing written, nothing synced
    assert synced == []
