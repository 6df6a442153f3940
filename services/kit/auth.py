"""Who is calling: the Principal, JWT minting and verification, region scoping.

The gateway verifies the caller's bearer token and forwards it unchanged; each service verifies it
again and filters by the principal's regions itself (defence in depth).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt

from services.kit.errors import PermissionDenied, Unauthenticated
from services.kit.regions import InvalidRegionCode, validate_scope

ALGORITHM = "HS256"
DEFAULT_TTL_S = 12 * 3600
# Distinct valid tokens remembered after their first check (callers, not calls: a few hundred at once).
VERIFIED_TOKENS_CACHED = 4096


class Role(StrEnum):
    """Roles a token can carry."""

    ADMIN = "admin"  # bureau administrators: everything in their regions
    DISTRICT_OFFICER = "district_officer"
    TOWN_OFFICER = "town_officer"
    VILLAGE_DIRECTOR = "village_director"
    HOTLINE = "hotline"  # 96345 operators
    VIEWER = "viewer"  # cockpit, read-only
    SERVICE = "service"  # another service or an event handler acting for the platform


_ROLE_VALUES = frozenset(r.value for r in Role)
WRITE_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.SERVICE})
UNMASKED_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.SERVICE})


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: subject, roles and the region prefixes it may see and change."""

    subject: str
    roles: frozenset[str]
    regions: tuple[str, ...]
    token: str = field(default="", repr=False, compare=False)

    def has_role(self, *roles: str) -> bool:
        """True when the caller holds any of the roles."""
        return any(r in self.roles for r in roles)

    def can_see(self, region_code: str) -> bool:
        """True when the region lies inside one of the caller's scopes (prefix match)."""
        return any(region_code.startswith(scope) for scope in self.regions)

    def require_region(self, region_code: str, *, what: str = "record") -> None:
        """Refuse a change outside the caller's regions."""
        if not self.can_see(region_code):
            raise PermissionDenied(f"{what} in region {region_code} is outside your regions")

    def require_role(self, *roles: str) -> None:
        """Refuse unless the caller holds one of the roles."""
        if not self.has_role(*roles):
            raise PermissionDenied(f"this needs one of the roles: {', '.join(sorted(roles))}")

    def require_write(self) -> None:
        """Refuse read-only callers."""
        self.require_role(*WRITE_ROLES)

    @property
    def may_see_id_numbers(self) -> bool:
        """Whether ID numbers are shown in clear to this caller (each such read is audited)."""
        return self.has_role(*UNMASKED_ROLES)

    def narrow(self, requested: str | None) -> tuple[str, ...]:
        """The scopes to query: the caller's own, or the requested region if it lies inside them."""
        if not requested:
            return self.regions
        if self.can_see(requested):
            return (requested,)
        # A broader request (the district, for a town officer) is cut down to what the caller holds.
        inside = tuple(scope for scope in self.regions if scope.startswith(requested))
        if not inside:
            raise PermissionDenied(f"region {requested} is outside your regions")
        return inside


class TokenCodec:
    """Mints and verifies platform JWTs (HS256, issuer, audience and expiry checked)."""

    def __init__(self, secret: str, *, issuer: str = "minzheng", audience: str = "minzheng") -> None:
        self._secret = secret
        self.issuer = issuer
        self.audience = audience
        # A caller sends the same token with every call (a device platform thousands a second):
        # its signature and claims are checked once, its expiry at every call.
        self._verified = functools.lru_cache(maxsize=VERIFIED_TOKENS_CACHED)(self._decode)

    def mint(
        self,
        subject: str,
        *,
        roles: Iterable[str],
        regions: Iterable[str],
        ttl_s: int = DEFAULT_TTL_S,
        now: float | None = None,
    ) -> str:
        """A signed token for the subject."""
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "roles": sorted(set(roles)),
            "regions": sorted(set(regions)),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "exp": issued + ttl_s,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str, *, now: float | None = None) -> Principal:
        """The principal of a valid token; Unauthenticated otherwise."""
        principal, expires = self._verified(token)
        if expires <= (now if now is not None else time.time()):
            raise Unauthenticated("token expired")
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["sub", "exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("token expired") from exc
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from exc
        roles = claims.get("roles") or []
        regions = claims.get("regions") or []
        if not isinstance(roles, list) or not isinstance(regions, list) or not roles or not regions:
            raise Unauthenticated("token carries no roles/regions")
        unknown = [r for r in roles if r not in _ROLE_VALUES]
        if unknown:
            raise Unauthenticated(f"token carries unknown roles {unknown}")
        try:
            regions = [validate_scope(r) for r in regions]
        except (InvalidRegionCode, TypeError) as exc:
            raise Unauthenticated(f"token regions must be region codes: {exc}") from exc
        principal = Principal(
            subject=str(claims["sub"]), roles=frozenset(map(str, roles)), regions=tuple(regions), token=token
        )
        return principal, float(claims["exp"])

    def service_token(self, service: str, *, regions: Iterable[str], ttl_s: int = DEFAULT_TTL_S) -> str:
        """A token for a service acting on its own behalf (event handlers, jobs, demo loading)."""
        return self.mint(f"service:{service}", roles=[Role.SERVICE], regions=regions, ttl_s=ttl_s)


def bearer_token(header_value: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` value; Unauthenticated when absent or malformed."""
    if not header_value:
        raise Unauthenticated("missing bearer token")
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("authorization must be 'Bearer <token>'")
    return token.strip()
