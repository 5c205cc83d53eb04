"""Merging duplicate customers into one, journalled so a merge can be undone (SPEC §13.4)."""
