"""Atomic file replacement: the target is either the old file or the complete new one."""

from __future__ import annotations

import os
import stat
import tempfile

from app.core.errors import TemplateError
from app.core.loading import special_file_kind

DEFAULT_NAME_MAX = 255
# Room left in a temporary file's name for tempfile's random part (8 characters today).
_RANDOM_ROOM = 16
_TEMPORARY_PREFIX = ".~"


def write_atomic(path: str, data: bytes, *, replace_read_only: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, and rename it over
    ``path``, keeping the file's permission bits.  On any failure ``path`` is untouched,
    the temporary file is removed and a TemplateError says what went wrong.

    A symbolic link is followed to the file it names, which is replaced (the link stays).
    A target with no write bit is refused unless ``replace_read_only``; one that is not a
    regular file (a folder, a FIFO, a device) always is.  Other hard links to the target
    keep the old content: the rename gives the name a new file."""
    target = os.path.realpath(path)
    existing = _existing(path, target)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else None
    if mode is not None and not replace_read_only and _read_only(mode):
        raise TemplateError(path, 0, 0, "the file is read-only; not replaced")
    temporary = None
    try:
        handle, temporary = _create_temporary(target)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if existing is not None:
            _keep_owner(temporary, existing)
        os.chmod(temporary, mode if mode is not None else _new_file_mode())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise TemplateError(path, 0, 0, f"cannot write: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def is_read_only(path: str) -> bool:
    """Whether :func:`write_atomic` would refuse to replace ``path`` without
    ``replace_read_only``: a regular file with no write bit (the mode decides, not
    ``os.access``, which says yes to root)."""
    try:
        status = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and _read_only(status.st_mode)


def _read_only(mode: int) -> bool:
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _existing(path: str, target: str) -> os.stat_result | None:
    """The status of the file about to be replaced; None when there is none."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TemplateError(path, 0, 0, f"cannot write: {error.strerror or error}") from None
    kind = special_file_kind(status.st_mode)
    if kind is not None:
        raise TemplateError(path, 0, 0, f"is {kind}, not a regular file; not replaced")
    return status


def _keep_owner(temporary: str, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group where we may (root saving a
    user's file must not take it over); an ordinary user keeps what the system allows."""
    if (existing.st_uid, existing.st_gid) == (os.getuid(), os.getgid()):
        return
    try:
        os.chown(temporary, existing.st_uid, existing.st_gid)
    except PermissionError:
        try:
            os.chown(temporary, -1, existing.st_gid)
        except PermissionError:
            pass


def _create_temporary(target: str) -> tuple[int, str]:
    """A new file beside ``target`` named after it, within the folder's name-length limit."""
    folder, name = os.path.split(target)
    room = _name_max(folder) - len(_TEMPORARY_PREFIX) - len(".") - _RANDOM_ROOM
    # Cut on a character boundary: the name stays readable UTF-8 (undecodable bytes go).
    stem = os.fsencode(name)[:room].decode("utf-8", "ignore")
    return tempfile.mkstemp(prefix=f"{_TEMPORARY_PREFIX}{stem}.", dir=folder)


def _name_max(folder: str) -> int:
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return DEFAULT_NAME_MAX
    return limit if limit > 0 else DEFAULT_NAME_MAX  # -1: no limit, so any fits


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
