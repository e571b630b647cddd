"""What the user did wrong, and the exit code each kind of mistake gets.

Every layer raises these; the command-line face turns them into one short line on stderr and
the exit code below, in one place. Anything else that escapes is a bug in thidua.
"""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_BUSY = 4
EXIT_DATABASE = 5
EXIT_IO = 6
EXIT_INTERRUPTED = 130


class ThiduaError(Exception):
    """A mistake in what the user asked for; the message is already in the user's language."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(ThiduaError):
    """A value, a file or a request that breaks a rule (exit 3)."""


class UsageError(ThiduaError):
    """Options that do not go together, or a needed one left out (exit 2)."""

    exit_code = EXIT_USAGE


class NeedsConfirmation(InvalidInput):
    """A step the rules allow only when asked for it in so many words (exit 3 when refused)."""


class NotFound(InvalidInput):
    """A unit, cluster or criterion that does not exist (exit 3)."""


class Ambiguous(InvalidInput):
    """A name that fits several things (exit 3)."""


class DatabaseBusy(ThiduaError):
    """Another thidua held the database longer than the busy timeout (exit 4)."""

    exit_code = EXIT_BUSY


class UnusableDatabase(ThiduaError):
    """Missing, not a thidua database, written by a newer thidua, or damaged (exit 5)."""

    exit_code = EXIT_DATABASE


class DiskError(ThiduaError):
    """The disk refused a read or a write: full, read-only, failing (exit 6)."""

    exit_code = EXIT_IO


def os_error_text(exc: OSError) -> str:
    """What the system refused, in the user's language, from its error number: an OSError's own
    text ("No such file or directory") is the system's English, whatever the interface speaks."""
    from thidua_cli.i18n import _

    texts = {
        errno.ENOENT: _("no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
        errno.EEXIST: _("it already exists"),
    }
    if exc.errno in texts:
        return texts[exc.errno]
    if exc.errno is None:
        return _("the system refused it")
    return _("the system refused it (error {code})").format(code=exc.errno)


def unreadable_input(path: object, exc: OSError) -> ThiduaError:
    """Why an input file (a score file, a workbook, a bundle) could not be opened: missing or a
    folder is the user's mistake (exit 3), anything else the disk's (exit 6)."""
    from thidua_cli.i18n import _

    if isinstance(exc, FileNotFoundError):
        return InvalidInput(_("There is no file {path}.").format(path=path))
    if isinstance(exc, IsADirectoryError):
        return InvalidInput(_("{path} is a folder; give a file name.").format(path=path))
    return DiskError(_("Cannot read {path}: {error}.").format(path=path, error=os_error_text(exc)))


def report(error: ThiduaError) -> None:
    """The one place a user's mistake is shown: a short message on stderr (the caller exits)."""
    import sys

    from thidua_cli.i18n import _

    lines = [_("Error: {message}").format(message=error.message)]
    lines += [f"  - {detail}" for detail in error.details]
    sys.stderr.write("\n".join(lines) + "\n")
