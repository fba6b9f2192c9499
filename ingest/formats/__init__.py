"""One reader per file format: bytes in, :class:`ingest.layout.RawDocument` out."""
