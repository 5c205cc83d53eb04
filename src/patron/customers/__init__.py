"""The customer directory: profiles, guests, numbers, field rules, soft delete."""
