"""The checked-in SDL (gateway/schema.graphql) is what the code defines: front-end teams read it."""

from __future__ import annotations

from gateway.export_schema import SDL_PATH, current_sdl, main


def test_exported_sdl_is_not_stale() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == current_sdl(), "run `python -m gateway.export_schema`"
    assert main(["--check"]) == 0


def test_sdl_has_the_slice_operations() -> None:
    sdl = current_sdl()
    for operation in ("registerInstitution(", "addBeds(", "assignBed(", "releaseBed(", "events(types:"):
        assert operation in sdl
    assert "type InstitutionConnection" in sdl and "totalCount: Int!" in sdl
