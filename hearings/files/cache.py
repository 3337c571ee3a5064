"""A cache on disk of what a build makes again and again from the same input (a template's
compiled code, a template prepared with the settings), like Python's own bytecode:
`$XDG_CACHE_HOME/hearings` (~/.cache/hearings), or HEARINGS_CACHE_DIR (empty: none). An
entry can only ever give back what was made from its own key: it holds the digest of the key
and of what follows, both checked before it is used; anything else is made again and
replaced."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .limits import UnreadableFile, read_limited
from .write import write_atomically

# An entry: this mark, the digest of its key, the digest of the payload that follows, the
# payload.
_ENTRY = b"hearings-cache-1\n"
_DIGEST = 32
MAX_ENTRY = 8 * 1024 * 1024  # the largest entry, a prepared template, is about 150 kB

T = TypeVar("T")


def remembered(store: dict, key, make: Callable[[], T], size: int = 8) -> T:
    """make() once per key in `store`, a process's memory of at most `size` entries (the
    oldest goes first)."""
    if key not in store:
        if len(store) >= size:
            del store[next(iter(store))]
        store[key] = make()
    return store[key]


def cache_dir() -> Path | None:
    """HEARINGS_CACHE_DIR, else $XDG_CACHE_HOME/hearings (~/.cache/hearings); empty: none."""
    if "HEARINGS_CACHE_DIR" in os.environ:
        folder = os.environ["HEARINGS_CACHE_DIR"]
        return Path(folder) if folder else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hearings"


def payload_of(entry: bytes | None, key_digest: bytes) -> bytes | None:
    """What an entry holds, when it is whole and was made from this very key."""
    if entry is None or not entry.startswith(_ENTRY):
        return None
    head = len(_ENTRY)
    stored_key = entry[head:head + _DIGEST]
    stored_payload = entry[head + _DIGEST:head + 2 * _DIGEST]
    payload = entry[head + 2 * _DIGEST:]
    if stored_key != key_digest or hashlib.sha256(payload).digest() != stored_payload:
        return None
    return payload


def _read_entry(path: Path) -> bytes | None:
    """The bytes of an entry that is a regular file of a sane size, else None; never blocks
    (a FIFO) and never follows a link (to /dev/zero, say)."""
    try:
        return read_limited(path, MAX_ENTRY, follow_links=False)
    except UnreadableFile:
        return None


def cached(kind: str, key: str, make: Callable[[], T], dump: Callable[[T], bytes],
           load: Callable[[bytes], T | None]) -> T:
    """The value made from `key`: from the cache folder's `kind` when it holds a whole entry
    of this key that `load` accepts (None: not accepted), else made, dumped and written
    there; no folder, no cache, and a folder that cannot be written is no cache."""
    payload = read_cached(kind, key)
    value = load(payload) if payload is not None else None
    if value is not None:
        return value
    value = make()
    keep(kind, key, dump(value))
    return value


def _entry_path(kind: str, key: str) -> tuple[Path, bytes] | None:
    folder = cache_dir()
    if folder is None:
        return None
    key_digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return folder / kind / key_digest.hex(), key_digest


def read_cached(kind: str, key: str) -> bytes | None:
    """The payload of the cache folder's whole entry of this key, else None."""
    where = _entry_path(kind, key)
    if where is None:
        return None
    path, key_digest = where
    return payload_of(_read_entry(path), key_digest)


def keep(kind: str, key: str, payload: bytes) -> None:
    """Write the entry of this key (whole or not at all; a folder that cannot be written is
    no cache)."""
    where = _entry_path(kind, key)
    if where is None:
        return
    path, key_digest = where
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            _remove(path)
        write_atomically(path, _ENTRY + key_digest + hashlib.sha256(payload).digest()
                         + payload)
    except OSError:
        pass  # a cache that cannot be written is no cache


def _remove(path: Path) -> None:
    """What stands where an entry belongs and is no entry (a link, a FIFO, a folder)."""
    if path.is_dir() and not path.is_symlink():
        os.rmdir(path)  # an empty one; a folder with files in it stays, and so does its name
    else:
        path.unlink()
