"""Alembic's environment and versions, a package so that the import-linter contract sees them."""
