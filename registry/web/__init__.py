"""The web pages: public search, document and validity pages, the widget, and the staff pages.

Server-rendered HTML that works without JavaScript; each route parses its input, calls one method of the
registry and renders one template. Pages share the HTTP dependencies with the API but never import it.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def mount_web(app: FastAPI) -> None:
    from registry.web import (
        clearing_public,
        pages,
        pages_articles,
        pages_basis,
        pages_exports,
        pages_follows,
        pages_trust,
        pages_versions,
        staff,
        staff_account,
        staff_admin,
        staff_clearing,
        staff_documents,
        staff_inbox,
        staff_intake,
        staff_reports,
    )
    from registry.web.render import render_error_page

    for module in (pages, staff, staff_account, staff_admin, staff_intake, staff_documents, staff_inbox,
                   staff_clearing, staff_reports, clearing_public, pages_basis, pages_versions, pages_articles,
                   pages_follows, pages_trust, pages_exports):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    app.state.render_error_page = render_error_page
