"""The signature block (发文机关署名 and 成文日期) and the other places an issuer is named."""

from __future__ import annotations

import re

from ingest.dates import find_dates, is_date_line
from ingest.metadata.context import Context, looks_like_organ, split_organs

_PERSON = re.compile(r"(总理|省长|市长|县长|区长|主席|主任|部长|局长|厅长|署长|行长|院长|书记|委员长|检察长|州长|盟长)"
                     r"[\s\u3000]*[\u4e00-\u9fff]{2,4}$")
_SEAL = re.compile(r"^[（(]?(印章|盖章|公章|签章|章)[）)]?$")
#: The note under a law's title names the adopting body: a people's congress or its standing committee,
#: the State Council, or the judicial committee of a supreme court or procuratorate (whose act it is).
_ADOPTED = re.compile(r"^[（(](.{0,40}?)(?:第[一二三四五六七八九十百\d]+届)?(全国人民代表大会(?:常务委员会)?|国务院"
                      r"|最高人民法院|最高人民检察院)")
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
                joined = above + stacked[0] if stacked else ""
                if joined and all(looks_like_organ(o) for o in split_organs(joined)):
                    stacked[0] = joined  # a name wrapped over two lines (最高人民检 / 察院)
                    j -= 1
                    continue
                break
            stacked.insert(0, above)
            j -= 1
        organs = join_wrapped_organs([o for s in stacked for o in split_organs(s)] + organs)
        if not organs and date_index < len(lines) - 60:
            continue  # a date on its own line in the middle of the body is not a signature
        ctx.notes["signature_line"] = str(j + 1)
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


#: Where an organ's name can end; a part ending otherwise (最高人民检) was cut by a line break.
_NAME_END = re.compile(r"(院|部|委|局|署|厅|办|会|府|室|行|中心|政府|委员会|办公厅|办公室|党组|军委|总局|公司)$")


def join_wrapped_organs(parts: list[str]) -> list[str]:
    """Organ names as printed, with a name that a line break cut in two put back together.

    A narrow signature column wraps 最高人民检察院 as 最高人民检 / 察院: a part that does not end the
    way an organ's name does is joined with the part after it, so the fragment 察院 never becomes an
    issuer of its own."""
    out: list[str] = []
    for part in parts:
        if out and not _NAME_END.search(out[-1]) and looks_like_organ(out[-1] + part):
            out[-1] += part
        else:
            out.append(part)
    return out


def adoption_note(ctx: Context) -> None:
    """Reads the note under a law's title, ``（2020年5月28日第十三届全国人民代表大会第三次会议通过）``.
    Writes ``written_date`` and ``issuer`` when still empty: the adopting body and date."""
    lines = ctx.lines
    for k in range(ctx.title_end, min(len(lines), ctx.title_end + 4)):
        m = _ADOPTED.match(lines[k].text)
        if not m:
            continue
        # A centred note wraps on a printed page: it runs to its closing bracket.
        note = lines[k].text
        for nxt in lines[k + 1:k + 8]:
            if note.rstrip().endswith(("）", ")")):
                break
            note += nxt.text
        m = _ADOPTED.match(note) or m
        ctx.notes["adopted_by"] = m.group(2)
        ctx.notes["adoption_note"] = note
        amended = [d for a in _AMENDED.finditer(note) for d in find_dates(a.group(0))[:1]]
        if amended:
            ctx.notes["amended_on"] = amended[-1].value.isoformat()
        dates = find_dates(note)
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
