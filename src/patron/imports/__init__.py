"""Customer imports: reading an uploaded file, and the job that applies its rows."""
