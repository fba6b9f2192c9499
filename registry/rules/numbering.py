"""统一登记号 patterns: ``{region}{code}-{year}-{seq:04}`` → ``SLSD03-2026-0012``.

A pattern is configuration an admin types, so it is checked, never evaluated: only the four names below
may appear, with a plain format spec (``{seq:04}``), and no attribute or index access (``{code.__class__}``
is refused). Pure rules: the serial itself comes from :mod:`registry.services.registration`.
"""

from __future__ import annotations

import string

from registry.errors import InvalidInput

FIELDS = ("region", "code", "year", "seq")
_SPEC_CHARS = set("0123456789<>^=+- ")


def check_pattern(pattern: str) -> None:
    """InvalidInput unless ``pattern`` uses only {region} {code} {year} {seq} and includes {seq}."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise InvalidInput(f"登记号格式无效：{exc} (invalid registration number pattern)",
                           details={"pattern": pattern}) from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS or conversion or (spec and not set(spec) <= _SPEC_CHARS):
            raise InvalidInput(f"登记号格式只能使用 {{region}} {{code}} {{year}} {{seq}}：{pattern} "
                               "(a registration number pattern may use only these fields)",
                               details={"pattern": pattern, "field": name})
        names.append(name)
    if "seq" not in names:
        raise InvalidInput("登记号格式必须包含 {seq} (the pattern must include {seq})", details={"pattern": pattern})


def format_number(pattern: str, *, region: str | None, code: str, year: int, seq: int) -> str:
    """The registration number for one serial; the pattern is checked first."""
    check_pattern(pattern)
    return pattern.format(region=region or "", code=code, year=year, seq=seq)
