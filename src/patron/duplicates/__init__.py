"""Likely duplicate customers: pairs found through blocking keys, scored, dismissed by staff."""
