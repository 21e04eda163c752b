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
