"""Outgoing mail behind one small interface: SMTP in production, .eml files by default."""
