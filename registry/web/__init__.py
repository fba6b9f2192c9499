"""Server-rendered pages for citizens and staff, and the embeddable search widget."""
