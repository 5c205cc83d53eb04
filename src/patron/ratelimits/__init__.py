"""Fixed-window rate limits for public routes (inquiries, newsletter sign-up), counted in the database."""
