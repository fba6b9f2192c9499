"""Infrastructure: engines and migrations, the audit chain, and the search index as a projection of the
registry (outbox, rebuild, comparison). Services use it; it never calls a service."""
