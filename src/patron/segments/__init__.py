"""Segments (SPEC §8, §13.5): saved customer queries in a small language of their own."""
