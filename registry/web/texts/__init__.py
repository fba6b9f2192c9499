"""Page texts of each staff area, one module per area, merged into :data:`registry.web.i18n.TEXTS`.

Each module holds ``TEXTS: dict[str, dict[str, str]]`` (key → {"zh": …, "en": …}); a key may be defined
once only across all of them (a test checks), so two areas never fight over a word.
"""
