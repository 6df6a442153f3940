"""Tokens and region scoping, without a server."""

from __future__ import annotations

import time

import pytest

from services.kit.auth import Principal, Role, TokenCodec, bearer_token
from services.kit.errors import PermissionDenied, Unauthenticated

SECRET = "unit-test-secret-0123456789abcdef0123"


def codec(**kw: str) -> TokenCodec:
    return TokenCodec(SECRET, **kw)


def test_a_minted_token_verifies_to_the_same_subject_roles_and_regions() -> None:
    token = codec().mint("alice", roles=[Role.TOWN_OFFICER], regions=["330109001"])
    p = codec().verify(token)
    assert p.subject == "alice"
    assert p.roles == {"town_officer"}
    assert p.regions == ("330109001",)


@pytest.mark.parametrize(
    ("verifier", "token_kw"),
    [
        (TokenCodec("another-secret-0123456789abcdef0123"), {}),
        (TokenCodec(SECRET, issuer="someone-else"), {}),
        (TokenCodec(SECRET, audience="another-app"), {}),
        (TokenCodec(SECRET), {"ttl_s": -10}),
    ],
    ids=["wrong key", "wrong issuer", "wrong audience", "expired"],
)
def test_tokens_that_do_not_verify_are_refused(verifier: TokenCodec, token_kw: dict[str, int]) -> None:
    token = codec().mint("alice", roles=["admin"], regions=["330109"], **token_kw)
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_a_token_checked_before_is_still_refused_once_it_expires() -> None:
    verifier = codec()
    issued = int(time.time())
    token = verifier.mint("device-platform", roles=[Role.SERVICE], regions=["330109"], ttl_s=60, now=issued)
    assert verifier.verify(token).subject == "device-platform"
    assert verifier.verify(token, now=issued + 59).subject == "device-platform"  # from the cache
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(token, now=issued + 60)


def test_a_refused_token_is_refused_again_not_remembered() -> None:
    verifier = codec()
    forged = TokenCodec("another-secret-0123456789abcdef0123").mint(
        "mallory", roles=["admin"], regions=["330109"]
    )
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            verifier.verify(forged)


@pytest.mark.parametrize(
    ("roles", "regions", "why"),
    [
        (["admin"], [], "roles/regions"),
        ([], ["330109"], "roles/regions"),
        (["root"], ["330109"], "unknown roles"),
        (["admin"], ["33010"], "region codes"),
        (["admin"], ["３３０１０９"], "region codes"),  # full-width digits pass str.isdigit()
        (["admin"], [""], "region codes"),
    ],
)
def test_a_token_without_known_roles_and_valid_regions_is_refused(
    roles: list[str], regions: list[str], why: str
) -> None:
    token = codec().mint("alice", roles=roles, regions=regions)
    with pytest.raises(Unauthenticated, match=why):
        codec().verify(token)


def test_garbage_is_refused() -> None:
    with pytest.raises(Unauthenticated):
        codec().verify("not-a-jwt")


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "Bearer"])
def test_a_missing_or_malformed_authorization_header_is_refused(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        bearer_token(header)


def test_bearer_token_is_read_case_insensitively() -> None:
    assert bearer_token("bearer abc.def") == "abc.def"


def town_officer() -> Principal:
    return Principal("bob", frozenset({"town_officer"}), ("330109001",))


def test_a_town_scope_sees_its_villages_and_not_the_next_town() -> None:
    p = town_officer()
    assert p.can_see("330109001")
    assert p.can_see("330109001203")
    assert not p.can_see("330109002")
    assert not p.can_see("330109")
    with pytest.raises(PermissionDenied):
        p.require_region("330109002001")


def test_narrow_keeps_requests_inside_the_callers_regions() -> None:
    p = town_officer()
    assert p.narrow(None) == ("330109001",)
    assert p.narrow("330109001201") == ("330109001201",)
    # asking for the whole district gives only the caller's own town
    assert p.narrow("330109") == ("330109001",)
    with pytest.raises(PermissionDenied):
        p.narrow("330109002")


def test_only_some_roles_see_id_numbers_in_clear() -> None:
    assert town_officer().may_see_id_numbers
    assert not Principal("v", frozenset({"viewer"}), ("330109",)).may_see_id_numbers
    assert not Principal("h", frozenset({"hotline"}), ("330109",)).may_see_id_numbers
