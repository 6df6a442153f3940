"""Relief schema revisions, applied in order at start."""
