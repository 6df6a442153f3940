"""Domain errors (from gRPC statuses or the gateway's own checks) as typed GraphQL errors.

Every error a client should act on carries ``extensions.code`` (the gRPC status name) and, for bad
input, ``extensions.fields``: one entry per offending field, named as in the GraphQL arguments.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from services.kit.errors import DomainError, InvalidArgument

log = logging.getLogger(__name__)
INTERNAL = "INTERNAL"


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
        super().__init__(should_mask_error=lambda error: not is_typed(error), error_message="internal error")

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
            log.error("unexpected error at %s", error.path, exc_info=error.original_error)
