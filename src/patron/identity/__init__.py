"""Organizations, staff users, roles and API keys."""
