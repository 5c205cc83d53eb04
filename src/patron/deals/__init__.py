"""Sales pipelines with ordered stages, and deals moving through them."""
