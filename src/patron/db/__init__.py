"""Storage: ORM models (table definitions), engines, the unit of work, migrations."""
