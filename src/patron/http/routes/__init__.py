"""Route handlers, one module per area of SPEC §12."""
