"""Many rows into one table in one statement, for a bulk import's chunk: SQLAlchemy's values, less of its cost.

On SQLite, SQLAlchemy's Core executemany turns every row's dictionary into the driver's parameters in
Python, column by column, with the bookkeeping of a general statement; for a chunk's ten thousand article
rows that was a large part of the importing thread. :func:`insert_rows` hands the driver tuples built
with the very conversions SQLAlchemy would apply (each column type's ``bind_processor``) and fills
omitted columns with their scalar defaults as SQLAlchemy would, so the stored values are the same.
Where that cannot be promised (a default computed per row) and on other databases (PostgreSQL, whose
SQLAlchemy path batches rows into multi-row statements already) it is SQLAlchemy's Core executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

_Plan = tuple[str, tuple[str, ...], tuple[Callable[[Any], Any] | None, ...], tuple[Any, ...]] | None
_plans: dict[tuple[int, str, tuple[str, ...]], _Plan] = {}


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (mappings with the same keys) into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    keys = tuple(rows[0])
    plan = _plan(table, keys, dialect) if dialect.name == "sqlite" and dialect.paramstyle == "qmark" else None
    if plan is None:
        connection.execute(insert(table), list(rows))
        return
    sql, names, processors, filled = plan
    if any(processors):
        params = [tuple([p(row[k]) if p else row[k] for k, p in zip(names, processors, strict=True)]) + filled
                  for row in rows]
    else:
        params = [tuple([row[k] for k in names]) + filled for row in rows]
    connection.exec_driver_sql(sql, params)  # type: ignore[arg-type]


def _plan(table: Table, keys: tuple[str, ...], dialect: Dialect) -> _Plan:
    """The statement, its parameters' conversions and the omitted columns' defaults; None when a
    default of an omitted column is not a constant."""
    cache = (id(table), dialect.name, keys)
    if cache in _plans:
        return _plans[cache]
    plan: _Plan = None
    omitted = [c for c in table.columns if c.key not in keys and c.default is not None]
    if all(getattr(c.default, "is_scalar", False) for c in omitted):
        converted = [c for c in (table.c[k] for k in keys)] + omitted
        processors = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in converted)
        filled = tuple(p(c.default.arg) if p else c.default.arg  # type: ignore[union-attr]
                       for c, p in zip(omitted, processors[len(keys):], strict=True))
        quote = dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in converted)}) "
               f"VALUES ({', '.join('?' for _ in converted)})")
        plan = (sql, keys, processors[:len(keys)], filled)
    _plans[cache] = plan
    return plan


__all__ = ["insert_rows"]
