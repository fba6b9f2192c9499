"""The signature block (发文机关署名 and 成文日期) and the other places an issuer is named."""

from __future__ import annotations

import re

from ingest.dates import find_dates, is_date_line
from ingest.metadata.context import Context, looks_like_organ, split_organs

_PERSON = re.compile(r"(总理|省长|市长|县长|区长|主席|主任|部长|局长|厅长|署长|行长|院长|书记|委员长|检察长|州长|盟长)"
                     r"[\s\u3000]*[\u4e00-\u9fff]{2,4}$")
_SEAL = re.compile(r"^[（(]?(印章|盖章|公章|签章|章)[）)]?$")
_ADOPTED = re.compile(r"^[（(](.{0,40}?)(?:第[一二三四五六七八九十百\d]+届)?(全国人民代表大会(?:常务委员会)?|国务院"
                      r"|最高人民法院审判委员会|最高人民检察院检察委员会)")
_AMENDED = re.compile(r"根据\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^根]{0,120}?(?:修正|修订|修改)")
_TITLE_ISSUER = re.compile(r"^(?P<organs>[\u4e00-\u9fff、\s\u3000]{2,80}?)(?:关于|转发|批转|印发)")


def signature(ctx: Context) -> None:
    """Reads the lines after the title. Writes ``written_date`` and, if still empty, ``issuer`` and
    ``co_issuers``.

    The signature is the first line after the title that holds only a date, with the organs named
    on the short lines just above it (a signer's name such as 市长 张三 and a seal mark are skipped).
    Organs side by side on one line, or stacked, are all issuers; the first is ``issuer``.
    """
    lines = ctx.lines
    for i in range(ctx.title_end, len(lines)):
        text = lines[i].text
        if len(text) > 70 or not (text.endswith(("日", "号")) or text[-1:].isdigit()):
            continue
        organs: list[str] = []
        if is_date_line(text):
            date_index = i
        else:
            dates = find_dates(text)
            tail = dates[-1] if dates else None
            if tail is None or tail.end < len(text.rstrip()) or not looks_like_organ(text[:tail.start].strip()):
                continue
            organs = split_organs(text[:tail.start])
            date_index = i
        j = date_index - 1
        stacked: list[str] = []
        while j >= ctx.title_end and len(stacked) < 6:
            above = lines[j].text
            if _PERSON.search(above) or _SEAL.match(above):
                j -= 1
                continue
            if not looks_like_organ(above) and not all(looks_like_organ(o) for o in split_organs(above)):
                break
            stacked.insert(0, above)
            j -= 1
        organs = [o for s in stacked for o in split_organs(s)] + organs
        if not organs and date_index < len(lines) - 60:
            continue  # a date on its own line in the middle of the body is not a signature
        if ctx.doc.written_date is None:
            ctx.doc.written_date = find_dates(text)[-1].value
        if organs:
            ctx.notes["signature_organs"] = " ".join(organs)
            if ctx.doc.issuer is None:
                ctx.doc.issuer, ctx.doc.co_issuers = organs[0], organs[1:]
            elif not ctx.doc.co_issuers and ctx.doc.issuer in organs:
                # Only a joint signature that includes the issuer adds co-issuers; a different organ
                # signing is the author of a forwarded document (国务院办公厅转发国家教委…).
                ctx.doc.co_issuers = [o for o in organs if o != ctx.doc.issuer]
        return


def adoption_note(ctx: Context) -> None:
    """Reads the note under a law's title, ``（2020年5月28日第十三届全国人民代表大会第三次会议通过）``.
    Writes ``written_date`` and ``issuer`` when still empty: the adopting body and date."""
    for line in ctx.lines[ctx.title_end:ctx.title_end + 4]:
        m = _ADOPTED.match(line.text)
        if not m:
            continue
        amended = [d for a in _AMENDED.finditer(line.text) for d in find_dates(a.group(0))[:1]]
        if amended:
            ctx.notes["amended_on"] = amended[-1].value.isoformat()
        dates = find_dates(line.text)
        if dates and ctx.doc.written_date is None:
            ctx.doc.written_date = dates[0].value
        if ctx.doc.issuer is None:
            ctx.doc.issuer = m.group(2)
        return


def issuer_from_title(ctx: Context) -> None:
    """Reads ``title``. Writes ``issuer``/``co_issuers`` when still empty, from the organs that head a
    title such as 国务院办公厅关于…的通知 or 财政部 税务总局关于…的公告."""
    if ctx.doc.issuer is not None or not ctx.doc.title:
        return
    m = _TITLE_ISSUER.match(ctx.doc.title)
    if not m:
        return
    organs = split_organs(m.group("organs"))
    if organs and all(looks_like_organ(o) for o in organs):
        ctx.doc.issuer, ctx.doc.co_issuers = organs[0], organs[1:]
