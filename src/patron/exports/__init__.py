"""Customer exports (SPEC §13.2): CSV and XLSX, streamed."""
