"""The errors partnerdocs raises on purpose. They are plain exceptions with an
exit code and a message; only the CLI (cli.py) turns them into ``Error: ...``
and that exit code, so the library can be used without Click."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its place: ``file:line: field.path: message``."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.path}: {self.message}" if self.path else f"{place}: {self.message}"


class PartnerdocsError(Exception):
    """Base of every error partnerdocs raises on purpose."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message

    def __str__(self) -> str:
        return self.message


class InputError(PartnerdocsError):
    """Raised for bad input: an invalid record or configuration, a missing or
    unreadable file, an unsafe template or image. Exit code 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)


class CheckFailed(PartnerdocsError):
    """Raised when a produced document or a template fails a check
    (ready to sign, co-branding, validate). Exit code 1."""

    exit_code = 1


# Errors with what the caller needs to act on them; cli.py adds how (the option to use).

class OutputExists(InputError):
    """Existing outputs would change: they are kept."""

    def __init__(self, paths: list):
        self.paths = list(paths)
        super().__init__(f"{', '.join(str(p) for p in self.paths)}: exists with different content")


class ConfigNotFound(InputError):
    """The configuration folder named (or the default one) does not exist."""

    def __init__(self, folder, named_in=None):
        self.folder, self.named_in = folder, named_in  # named_in: the workspace file that names it
        where = f" (folders.configs in {named_in})" if named_in else ""
        super().__init__(f"{folder}: configuration folder not found{where}")


class WorkspaceNotFound(InputError):
    """No workspace file in ``start`` or above it, and no configuration folder there either."""

    def __init__(self, start, file_name: str):
        self.start, self.file_name = start, file_name
        super().__init__(f"no {file_name} in {start} or any folder above it, and no configs/ folder here")


class MissingSheet(InputError):
    """A workbook or CSV file without the sheet partnerdocs reads."""

    def __init__(self, path, sheet: str):
        self.path, self.sheet = path, sheet
        super().__init__(f"{path}: no '{sheet}' sheet")
