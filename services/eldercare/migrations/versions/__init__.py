"""Eldercare schema revisions, applied in order at start."""
