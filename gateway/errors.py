"""Domain errors (from gRPC statuses or the gateway's own checks) as typed GraphQL errors.

Every error a client should act on carries ``extensions.code`` (the gRPC status name) and, for bad
input, ``extensions.fields``: one entry per offending field, named as in the GraphQL arguments.
Anything else (a service's UNKNOWN or INTERNAL status, an exception in the gateway) reaches the
client only as ``internal error`` with code INTERNAL; its detail goes to the log, ID numbers masked.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

import grpc
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from services.kit.errors import DomainError, InvalidArgument
from services.kit.grpc_client import domain_error
from services.kit.idcard import mask_id_number

log = logging.getLogger(__name__)
INTERNAL = "INTERNAL"
INTERNAL_MESSAGE = "internal error"
# Statuses by which a service tells the caller something they can act on; any other status (UNKNOWN,
# INTERNAL, DATA_LOSS, ...) is a fault whose text is for the operators, not for the client.
DOMAIN_STATUSES = frozenset(
    {
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
    }
)
# 17 digits and a check character, not inside a longer run of digits (letters around it may be
# anything: masking too much in a log line costs nothing).
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def camel(name: str) -> str:
    """``elder_id_number`` → ``elderIdNumber``, per dotted segment (``a.b_c`` → ``a.bC``)."""
    return ".".join(_camel_segment(part) for part in name.split("."))


def _camel_segment(segment: str) -> str:
    head, *rest = segment.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def graphql_field(proto_field: str, renames: Mapping[str, str] | None = None) -> str:
    """The GraphQL argument a proto field stands for: an explicit rename, else its camelCase."""
    if renames and proto_field in renames:
        return renames[proto_field]
    return camel(proto_field)


def graphql_error(error: DomainError, *, renames: Mapping[str, str] | None = None) -> GraphQLError:
    """The GraphQL error for a domain error: message, ``extensions.code`` and the offending fields."""
    extensions: dict[str, Any] = {"code": error.code.name}
    if isinstance(error, InvalidArgument):
        extensions["fields"] = [
            {"field": graphql_field(v.field, renames), "description": v.description} for v in error.violations
        ]
    return GraphQLError(error.message, extensions=extensions)


def internal_error() -> GraphQLError:
    """The one error a client sees for a fault on our side."""
    return GraphQLError(INTERNAL_MESSAGE, extensions={"code": INTERNAL})


def redact(text: str) -> str:
    """``text`` with every resident ID number in it masked, fit for a log line."""
    return _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)


def status_error(
    error: grpc.aio.AioRpcError, *, method: str, renames: Mapping[str, str] | None = None
) -> GraphQLError:
    """The GraphQL error for a failed call: typed for domain statuses, else logged and INTERNAL."""
    code = error.code()
    if code in DOMAIN_STATUSES:
        return graphql_error(domain_error(error), renames=renames)
    log.error("%s failed with %s: %s", method, code.name, redact(error.details() or ""))
    return internal_error()


def invalid_field(field: str, description: str) -> GraphQLError:
    """An INVALID_ARGUMENT error for one GraphQL argument the gateway itself refused."""
    return graphql_error(InvalidArgument.field(field, description))


def is_typed(error: GraphQLError) -> bool:
    """True for errors meant for the client: domain errors and request errors (syntax, validation)."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class TypedErrors(MaskErrors):
    """Hides unexpected exceptions (their text may leak internals) behind one INTERNAL error."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not is_typed(error), error_message=INTERNAL_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """The masked error, still carrying a code so clients can branch on every error the same way."""
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked


def log_errors(errors: list[GraphQLError]) -> None:
    """Log unexpected errors with their traceback; the typed ones are the client's business."""
    for error in errors:
        if is_typed(error):
            log.debug("graphql error %s: %s", (error.extensions or {}).get("code"), error.message)
        else:
            # The traceback as text, so an ID number in an exception's message can be masked.
            original = error.original_error
            detail = "".join(traceback.format_exception(original)) if original else error.message
            log.error("unexpected error at %s: %s", error.path, redact(detail))
