"""OpenTelemetry: tracer setup per process and W3C trace context carried into CloudEvents.

Locally tracing is off (or printed to the console); with ``MINZHENG_OTEL_EXPORTER=otlp`` spans go
to the OTLP collector at ``MINZHENG_OTEL_ENDPOINT``. gRPC spans come from the OpenTelemetry gRPC
instrumentation; the relay and consumers continue the trace through the ``traceparent`` attribute.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

log = logging.getLogger(__name__)
_configured = False


def setup_tracing(service_name: str, exporter: str = "none", endpoint: str = "") -> None:
    """Install a tracer provider once per process; 'none' still propagates context."""
    global _configured
    if _configured:
        return
    _configured = True
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    span_exporter: SpanExporter | None = None
    if exporter == "console":
        span_exporter = ConsoleSpanExporter()
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter(endpoint=endpoint or None)
    if span_exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(span_exporter))
    trace.set_tracer_provider(provider)
    log.info("tracing for %s: %s", service_name, exporter)


def tracer(name: str) -> trace.Tracer:
    """A tracer for a module."""
    return trace.get_tracer(name)


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the active span, if any."""
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> otel_context.Context:
    """A context whose parent is the span named by ``traceparent`` (or the current one)."""
    if not traceparent:
        return otel_context.get_current()
    return extract({"traceparent": traceparent})


def inject_headers(headers: dict[str, str] | None = None) -> dict[str, str]:
    """Headers carrying the current trace context (for NATS messages and gRPC metadata)."""
    out = dict(headers or {})
    inject(out)
    return out


def extract_headers(headers: Mapping[str, str] | None) -> otel_context.Context:
    """The trace context carried in headers."""
    return extract(dict(headers or {}))
