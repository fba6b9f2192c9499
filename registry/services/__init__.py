"""Services: the work behind each action of :class:`registry.Registry`, given a session the façade opened.
A service commits its unit of work (ingestion one per document); the adapters never call a service
directly, they call the façade."""
