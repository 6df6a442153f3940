"""Contract tests of the child welfare service."""
