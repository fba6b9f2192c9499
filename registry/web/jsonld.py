"""schema.org ``Legislation`` JSON-LD for document pages, so search engines can show a document's status.

Mapping (https://schema.org/Legislation; every property used is defined on Legislation, CreativeWork or Thing):

=========================  ==========================================================================
``name``                    the title
``legislationIdentifier``   the 文号 (else the 统一登记号); ``identifier`` lists both as PropertyValues
``legislationDate``         成文日期 (the date it was adopted/signed), else the publication date
``datePublished``           发布日期; ``expires``: 有效期至
``legislationLegalForce``   a LegalForceStatus: InForce (有效), PartiallyInForce (部分失效), NotInForce
                            (尚未生效, 已修改 — a newer text is in force —, 失效, 已废止); omitted when unknown
``legislationPassedBy``     the issuer, a GovernmentOrganization
``legislationType``         the category (e.g. 行政规范性文件)
``legislationChanges``      the documents this one amends or repeals, and those it replaces under another title
``legislationConsolidates`` an earlier text of the same title that this one replaces (a consolidated text)
``isBasedOn``               the documents it names as its basis (依据)
=========================  ==========================================================================

The script element's content escapes ``<``, ``>`` and ``&`` as ``\\u003c`` etc., so no title can close it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

SCHEMA = "https://schema.org"
LEGAL_FORCE = {"in_force": "InForce", "partially_invalid": "PartiallyInForce", "not_yet_effective": "NotInForce",
               "amended": "NotInForce", "invalid": "NotInForce", "repealed": "NotInForce"}
CHANGES = ("amends", "repeals", "replaces")


def _ref(rel: dict[str, Any], base: str) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Legislation", "name": rel.get("other_title") or rel.get("other_doc_number") or ""}
    if rel.get("other_doc_number"):
        out["legislationIdentifier"] = rel["other_doc_number"]
    if rel.get("other_id"):
        out["url"] = f"{base}/documents/{rel['other_id']}"
    return out


def legislation(doc: dict[str, Any], answer: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """The JSON-LD object for a document (as ``show`` returns it) and its current ``check`` answer."""
    base = base_url.rstrip("/")
    data: dict[str, Any] = {"@context": SCHEMA, "@type": "Legislation", "@id": f"{base}/documents/{doc['id']}",
                            "url": f"{base}/documents/{doc['id']}", "name": doc["title"], "inLanguage": "zh-CN"}
    ident = doc.get("doc_number") or doc.get("registration_number")
    if ident:
        data["legislationIdentifier"] = ident
    ids = [{"@type": "PropertyValue", "propertyID": key, "value": doc[key]}
           for key in ("doc_number", "registration_number") if doc.get(key)]
    if ids:
        data["identifier"] = ids
    signed = doc.get("written_date") or doc.get("publication_date")
    if signed:
        data["legislationDate"] = signed
    if doc.get("publication_date"):
        data["datePublished"] = doc["publication_date"]
    if doc.get("expiry_date"):
        data["expires"] = doc["expiry_date"]
    force = LEGAL_FORCE.get(answer.get("status", ""))
    if force:
        data["legislationLegalForce"] = {"@id": f"{SCHEMA}/{force}"}
    if doc.get("issuer"):
        data["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": doc["issuer"]}
    if doc.get("category"):
        data["legislationType"] = doc["category"]
    changes, consolidates, basis = [], [], []
    for rel in doc.get("relations") or []:
        if rel.get("direction") != "outgoing" or rel.get("state") == "rejected":
            continue
        if rel["kind"] == "replaces" and (rel.get("other_title") or "").strip() == doc["title"].strip():
            consolidates.append(_ref(rel, base))
        elif rel["kind"] in CHANGES:
            changes.append(_ref(rel, base))
        elif rel["kind"] == "based_on":
            basis.append(_ref(rel, base))
    if changes:
        data["legislationChanges"] = changes
    if consolidates:
        data["legislationConsolidates"] = consolidates
    if basis:
        data["isBasedOn"] = basis
    return data


def script_tag(data: dict[str, Any]) -> Markup:
    """``<script type="application/ld+json">`` holding ``data``, safe whatever the strings contain."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
