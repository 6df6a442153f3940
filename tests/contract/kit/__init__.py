"""Contract tests of the event backbone: stream, outbox relay, inbox and durable consumers."""
