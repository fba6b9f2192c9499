"""Maintenance scripts; a package so that the tests can import the typesetter (``scripts.typeset``)."""
