"""Crash recovery: the unsaved text of each open document, kept on disk after every change
so that edits survive the editor being killed.

The module stores entries and nothing else (no Qt): the editor decides when to record and
discard them.  An entry is one JSON file, written atomically (a kill in the middle of a
write leaves the previous entry whole) and named after a digest of the document's path, so
that one document has one entry and any path gives a short, valid file name.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from app.core import pointer as jp
from app.core.atomic import write_atomic
from app.core.edits import Add, Edit, Remove, Set, copy_data, same_data
from app.core.errors import TemplateError
from app.core.loading import Format

_ENTRY_SUFFIX = ".json"
_UNTITLED_KEY = "untitled"
_VERSION = 1


@dataclass(frozen=True)
class Entry:
    #: the document's file; None for the untitled document (there is at most one)
    path: str | None
    text: str
    format: Format
    #: :func:`digest` of the file as it was on disk when editing started; None if there was none
    base_digest: str | None
    #: when the entry was recorded, in seconds since the epoch
    time: float
    #: the process that recorded it: an editor that is still running keeps its entries
    pid: int = 0

    @property
    def orphaned(self) -> bool:
        """Whether the editor that wrote the entry is gone (killed, crashed) — or is us."""
        if self.pid in (0, os.getpid()):
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, but another user's
            return False
        return False


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str) -> str | None:
    """The :func:`digest` of a file's bytes; None when it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return digest(stream.read())
    except OSError:
        return None


class Journal:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = os.fspath(folder)

    def record(self, path: str | None, text: str, format: Format, base_digest: str | None) -> None:
        """Keep ``text`` as the unsaved state of the document at ``path``, replacing the
        entry it had; raises TemplateError if the entry cannot be written."""
        entry = {"version": _VERSION, "path": _absolute(path), "text": text, "format": format,
                 "base_digest": base_digest, "time": time.time(), "pid": os.getpid()}
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)  # entries hold whole templates: private
        except OSError as error:
            reason = error.strerror or str(error)
            raise TemplateError(self.folder, 0, 0, f"cannot create the journal folder: {reason}") from None
        write_atomic(self._file(path), json.dumps(entry, ensure_ascii=False).encode("utf-8"))

    def discard(self, path: str | None) -> None:
        try:
            os.unlink(self._file(path))
        except FileNotFoundError:
            pass

    def entry(self, path: str | None) -> Entry | None:
        """The document's entry, unless an editor that is still running owns it."""
        found = _read_entry(self._file(path))
        return found if found is not None and found.orphaned else None

    def entries(self) -> list[Entry]:
        """Every entry whose editor is gone, newest first; a file that is not a whole
        entry is left out, and so is the live entry of another editor still running."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        # write_atomic's temporary files start with a dot: a kill can leave one behind
        files = [os.path.join(self.folder, name) for name in names
                 if name.endswith(_ENTRY_SUFFIX) and not name.startswith(".")]
        found = [entry for entry in map(_read_entry, files) if entry is not None and entry.orphaned]
        return sorted(found, key=lambda entry: entry.time, reverse=True)

    def _file(self, path: str | None) -> str:
        absolute = _absolute(path)
        key = _UNTITLED_KEY if absolute is None else digest(os.fsencode(absolute))[:32]
        return os.path.join(self.folder, key + _ENTRY_SUFFIX)


def _absolute(path: str | None) -> str | None:
    return None if path is None else os.path.abspath(path)


def _read_entry(file: str) -> Entry | None:
    try:
        with open(file, encoding="utf-8") as stream:
            raw = json.load(stream)
        entry = Entry(raw["path"], raw["text"], raw["format"], raw["base_digest"], float(raw["time"]),
                      int(raw.get("pid", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    valid = (raw.get("version") == _VERSION and isinstance(entry.text, str) and entry.format in ("json", "yaml")
             and (entry.path is None or isinstance(entry.path, str)))
    return entry if valid else None


def edits_between(old: Any, new: Any, pointer: str = "") -> list[Edit]:
    """Edits that turn ``old`` into ``new``, key order included, made as deep as possible
    so that applying them re-writes only the text of what differs."""
    if same_data(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return _mapping_edits(old, new, pointer)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [edit for index, (before, after) in enumerate(zip(old, new, strict=True))
                for edit in edits_between(before, after, jp.child(pointer, index))]
    return [Set(pointer, copy_data(new))]


def _mapping_edits(old: dict[str, Any], new: dict[str, Any], pointer: str) -> list[Edit]:
    order = {key: index for index, key in enumerate(new)}
    # Keys found in both that already stand in the new order stay where they are; the
    # others are removed and added back at their place.
    staying: list[str] = []
    for key in old:
        if key in order and (not staying or order[key] > order[staying[-1]]):
            staying.append(key)
    kept = set(staying)
    edits: list[Edit] = [Remove(jp.child(pointer, key)) for key in old if key not in kept]
    next_kept: str | None = None
    placed: list[Edit] = []
    for key in reversed(new):  # backwards: each added key goes before the next key that stays
        if key in kept:
            placed.extend(reversed(edits_between(old[key], new[key], jp.child(pointer, key))))
            next_kept = key
        else:
            placed.append(Add(jp.child(pointer, key), copy_data(new[key]), next_kept))
    return edits + placed[::-1]
