"""Sales inquiries: public capture (rate-limited, honeypot), staff lifecycle, conversion to a customer."""
