"""Reading another service's event payload: the consumer's contract as a tolerant reader.

A consuming service writes down the fields it needs of each event it consumes (pydantic models on
``InboundModel``): publishers may add fields, the ones declared must be present and well-formed. A
payload that breaks the contract raises ``ContractViolation`` (``kit.consumer.Unprocessable``): the
handler's transaction rolls back and the message is dead-lettered at once. Its values never reach the
error text, logs or headers: a faulty publisher's clear ID number must not leak from here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from services.kit.consumer import Unprocessable


class InboundModel(BaseModel):
    """Base of a consumed payload's contract: extra fields ignored, inputs kept out of error texts."""

    model_config = ConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)


class ContractViolation(Unprocessable):
    """A consumed event's payload does not follow the contract (names the fields, never their values)."""


Payload = TypeVar("Payload", bound=InboundModel)


def parse(model: type[Payload], data: Any) -> Payload:
    """The payload as ``model``; ContractViolation naming every bad field (its value never echoed)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'data'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False, include_context=False)
        )
        raise ContractViolation(f"{model.__name__} payload: {problems}") from None
