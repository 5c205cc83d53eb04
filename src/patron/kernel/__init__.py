"""Shared building blocks; imports nothing else from patron."""
