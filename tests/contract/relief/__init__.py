"""Contract tests of the relief service over gRPC (both database backends)."""
