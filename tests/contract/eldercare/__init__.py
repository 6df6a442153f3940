"""Contract tests of the eldercare service over gRPC (both database backends)."""
