"""The ``normreg`` command: thin adapters over :class:`registry.Registry` (one module per command group)."""

from registry.cli.app import app, main

__all__ = ["app", "main"]
