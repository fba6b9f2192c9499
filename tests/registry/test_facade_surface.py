"""The façade is the public surface: every public method says what it does, and the adapters reach the
registry through it alone."""

from __future__ import annotations

import inspect

from registry import Registry


def test_every_public_method_of_the_registry_has_a_docstring() -> None:
    missing = [name for name, member in inspect.getmembers(Registry)
               if not name.startswith("_") and callable(member) and not inspect.getdoc(member)]
    assert missing == []


def test_registry_is_importable_from_the_package() -> None:
    from registry.facade import Registry as Direct

    assert Registry is Direct
