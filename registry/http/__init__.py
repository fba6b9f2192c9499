"""What the JSON API and the pages share: the app factory, dependencies, error handling, middleware
and rate limits. ``registry.api`` and ``registry.web`` both build on this package and never import
each other."""
