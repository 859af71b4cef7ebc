"""Atomic file replacement: the target is either the old file or the complete new one."""

from __future__ import annotations

import os
import stat
import tempfile

from app.errors import TemplateError


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, and rename it over
    ``path``, keeping the file's permission bits.  On any failure ``path`` is untouched,
    the temporary file is removed and a TemplateError says what went wrong."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise TemplateError(path, 0, 0, f"cannot write: {error.strerror or error}") from None
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".~" + os.path.basename(path) + ".", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise TemplateError(path, 0, 0, f"cannot write: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
