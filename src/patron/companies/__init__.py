"""B2B companies: contacts, account manager, members with roles, join codes."""
