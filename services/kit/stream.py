"""The JetStream streams of the platform: ``CIVIC`` (every event) and ``CIVIC_DLQ`` (dead letters).

Events travel on ``civic.<service>.<event-name>`` in stream CIVIC. A message a consumer gives up on
is copied to ``deadletter.<original subject>`` (e.g. ``deadletter.civic.funeral.death-registered``)
in the separate stream CIVIC_DLQ, so dead letters never reach a CIVIC consumer and can be inspected
and replayed on their own. Both streams are created or updated at every service start; several
replicas doing so at once is harmless (creating an identical stream is idempotent).
"""

from __future__ import annotations

import logging

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import BadRequestError, NotFoundError

from services.kit.cloudevents import SUBJECT_ROOT
from services.kit.settings import Settings

log = logging.getLogger(__name__)

DEAD_LETTER_ROOT = "deadletter"
DLQ_SUFFIX = "_DLQ"
# JetStream's default duplicate window is 2 minutes; a relay that republishes after a longer outage
# would then store a duplicate. Ten minutes is the floor the platform promises.
MIN_DUPLICATE_WINDOW_S = 600
_DAY_S = 86_400
# err_code of "stream name already in use with a different configuration".
_STREAM_NAME_IN_USE = 10058


def dead_letter_stream_name(settings: Settings) -> str:
    """Name of the dead-letter stream that goes with the event stream (``CIVIC_DLQ``)."""
    return f"{settings.stream_name}{DLQ_SUFFIX}"


def dead_letter_subject(subject: str) -> str:
    """``deadletter.<original subject>``: where a message a consumer gave up on is copied."""
    return f"{DEAD_LETTER_ROOT}.{subject}"


def original_subject(dead_letter: str) -> str:
    """The subject a dead letter was first published on (inverse of ``dead_letter_subject``)."""
    prefix = f"{DEAD_LETTER_ROOT}."
    if not dead_letter.startswith(prefix):
        raise ValueError(f"{dead_letter!r} is not a dead-letter subject")
    return dead_letter[len(prefix) :]


def stream_config(settings: Settings) -> StreamConfig:
    """The configuration of the event stream (CIVIC, subjects ``civic.>``)."""
    if settings.stream_duplicate_window_s < MIN_DUPLICATE_WINDOW_S:
        raise ValueError(
            f"stream_duplicate_window_s must be ≥ {MIN_DUPLICATE_WINDOW_S} s "
            f"(got {settings.stream_duplicate_window_s})"
        )
    max_age_s = settings.stream_max_age_days * _DAY_S
    if max_age_s and max_age_s < settings.stream_duplicate_window_s:
        raise ValueError("stream_max_age_days must be longer than the duplicate window")
    return StreamConfig(
        name=settings.stream_name,
        description="Minzheng civic events (CloudEvents 1.0, JSON structured mode)",
        subjects=[f"{SUBJECT_ROOT}.>"],
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        storage=StorageType.FILE,
        num_replicas=settings.stream_replicas,
        max_age=float(max_age_s),
        duplicate_window=float(settings.stream_duplicate_window_s),
    )


def dead_letter_stream_config(settings: Settings) -> StreamConfig:
    """The configuration of the dead-letter stream (CIVIC_DLQ, subjects ``deadletter.>``)."""
    base = stream_config(settings)
    return StreamConfig(
        name=dead_letter_stream_name(settings),
        description="Messages consumers of the civic events gave up on (copied with the reason)",
        subjects=[f"{DEAD_LETTER_ROOT}.>"],
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        storage=StorageType.FILE,
        num_replicas=settings.stream_replicas,
        max_age=base.max_age,
        # Dead letters carry Nats-Msg-Id "<stream>:<consumer>:<seq>", so the copy made by a
        # consumer and the one made from the max-deliveries advisory are stored once.
        duplicate_window=base.duplicate_window,
    )


async def _create_or_update(js: JetStreamContext, config: StreamConfig) -> StreamInfo:
    assert config.name is not None
    try:
        current = await js.stream_info(config.name)
    except NotFoundError:
        try:
            info = await js.add_stream(config)
            log.info("created stream %s (subjects %s)", config.name, config.subjects)
            return info
        except BadRequestError as exc:
            # Another replica created it between our lookup and our create.
            if exc.err_code != _STREAM_NAME_IN_USE:
                raise
            current = await js.stream_info(config.name)
    wanted = (
        config.subjects,
        config.max_age,
        config.duplicate_window,
        config.num_replicas,
        config.storage,
        config.description,
    )
    have = current.config
    if wanted == (
        have.subjects,
        have.max_age,
        have.duplicate_window,
        have.num_replicas,
        have.storage,
        have.description,
    ):
        return current
    # Everything else on the server (e.g. placement set by ops) is kept; only our fields change.
    updated = have.evolve(
        subjects=config.subjects,
        max_age=config.max_age,
        duplicate_window=config.duplicate_window,
        num_replicas=config.num_replicas,
        storage=config.storage,
        description=config.description,
    )
    info = await js.update_stream(updated)
    log.info("updated stream %s", config.name)
    return info


async def ensure_stream(js: JetStreamContext, settings: Settings) -> StreamInfo:
    """Create or update the event stream and its dead-letter stream; returns the event stream's info."""
    info = await _create_or_update(js, stream_config(settings))
    await _create_or_update(js, dead_letter_stream_config(settings))
    return info
