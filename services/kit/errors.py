"""Domain errors: raised by service code, mapped to gRPC status codes in one place (kit.grpc_server).

This module does no I/O and imports no transport, so pure ``rules`` modules may use it; the status
names match ``grpc.StatusCode`` member names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The gRPC status an error becomes (names as in ``grpc.StatusCode``)."""

    UNKNOWN = "UNKNOWN"
    INTERNAL = "INTERNAL"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    UNAVAILABLE = "UNAVAILABLE"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"


@dataclass(frozen=True)
class FieldViolation:
    """One bad input field and what is wrong with it."""

    field: str
    description: str


class DomainError(Exception):
    """Base of every error a caller should see; ``code`` is the gRPC status it becomes."""

    code: Status = Status.UNKNOWN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    """Bad input; names every offending field."""

    code = Status.INVALID_ARGUMENT

    def __init__(self, violations: list[FieldViolation] | FieldViolation, message: str | None = None) -> None:
        self.violations = [violations] if isinstance(violations, FieldViolation) else list(violations)
        text = message or "; ".join(f"{v.field}: {v.description}" for v in self.violations)
        super().__init__(text)

    @classmethod
    def field(cls, field: str, description: str) -> InvalidArgument:
        """Shorthand for a single bad field."""
        return cls(FieldViolation(field, description))


class NotFound(DomainError):
    """The thing asked for does not exist (or is outside the caller's regions)."""

    code = Status.NOT_FOUND


class AlreadyExists(DomainError):
    """A create that would duplicate an existing record."""

    code = Status.ALREADY_EXISTS


class FailedPrecondition(DomainError):
    """The request is well-formed but the current state forbids it."""

    code = Status.FAILED_PRECONDITION


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    code = Status.PERMISSION_DENIED


class Unauthenticated(DomainError):
    """No caller, or one whose token does not verify."""

    code = Status.UNAUTHENTICATED


class Internal(DomainError):
    """A fault on our side; the caller sees only that, the detail goes to the log."""

    code = Status.INTERNAL

    def __init__(self, message: str = "internal error") -> None:
        super().__init__(message)


class Unavailable(DomainError):
    """A dependency is down; the caller may retry."""

    code = Status.UNAVAILABLE


class Collector:
    """Collects field violations so one response names every bad field, not just the first."""

    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        """Record one bad field."""
        self.violations.append(FieldViolation(field, description))

    def check(self, ok: bool, field: str, description: str) -> None:
        """Record a violation unless ``ok``."""
        if not ok:
            self.add(field, description)

    def raise_if_any(self) -> None:
        """Raise InvalidArgument naming every recorded field."""
        if self.violations:
            raise InvalidArgument(self.violations)
