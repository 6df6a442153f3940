"""Reading the records the community areas refer to: an elder's file, inside the caller's regions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import Elder
from services.kit.columns import in_regions
from services.kit.errors import NotFound


async def visible_elder(session: AsyncSession, *, elder_id: str, scopes: Sequence[str]) -> Elder:
    """One elder inside the scopes; NotFound (naming the field) otherwise, so other regions do not leak."""
    found = (
        await session.exec(
            select(Elder).where(Elder.id == elder_id, in_regions(col(Elder.region_code), scopes))
        )
    ).first()
    if found is None:
        raise NotFound(f"elder_id: elder {elder_id} not found")
    return found
