"""Golden tests written from the metadata rules, on synthetic documents no real file gave us.

Each case states a rule and builds the smallest document that exercises it, with issuers, dates and
layouts the shared corpus does not have (other cities and bureaus, joint issuers, Chinese-numeral
dates, titles over two lines). Every case is rendered as plain text, DOCX and (with the CJK font)
PDF, so one rule is checked through every reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from ingest import extract
from ingest.articles import split_articles
from ingest.formats.textlayer import garbage_reason
from scripts.typeset import FONT, OfficialDoc, render_docx, render_pdf, render_text

Renderer = Callable[[OfficialDoc, Path], Path]
RENDERERS: dict[str, Renderer] = {"txt": render_text, "docx": render_docx}
if FONT.exists():
    RENDERERS["pdf"] = render_pdf


def _doc(**changes: object) -> OfficialDoc:
    base = OfficialDoc(
        key="rule", issuers=["临江市人民政府办公室"], doc_number="临政办发〔2022〕14号",
        title="临江市人民政府办公室关于印发临江市政府投资项目管理办法的通知", addressee="各县（市、区）人民政府，市政府各部门：",
        body=["《临江市政府投资项目管理办法》已经市政府同意，现印发给你们，请认真贯彻执行。"],
        written_date=date(2022, 6, 8), publication_date=date(2022, 6, 13),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(params=sorted(RENDERERS))
def render(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[OfficialDoc], object]:
    renderer = RENDERERS[request.param]
    return lambda doc: extract(renderer(doc, tmp_path / f"case.{request.param}"))


# --- effective date ---------------------------------------------------------------------------------

def test_effective_on_publication_is_the_publication_date(render: Callable[[OfficialDoc], object]) -> None:
    """自发布之日起施行: the 印发 date of the 版记 is the publication date, and the effect starts then."""
    doc = render(_doc(body=["为规范政府投资行为，制定本办法。本办法自发布之日起施行。"]))
    assert doc.effective_date == date(2022, 6, 13)  # type: ignore[attr-defined]
    assert any("publication date" in w and "自发布之日起施行" in w for w in doc.warnings)  # type: ignore[attr-defined]
    assert doc.effective_date_basis == "本办法自发布之日起施行"  # type: ignore[attr-defined]


def test_effective_on_issue_is_the_signing_date(render: Callable[[OfficialDoc], object]) -> None:
    """自印发之日起施行: the document acts from the day it was signed (成文日期)."""
    doc = render(_doc(body=["现将有关事项通知如下。本通知自印发之日起施行，有效期3年。"], chinese_date=True))
    assert doc.written_date == date(2022, 6, 8)  # type: ignore[attr-defined]
    assert doc.effective_date == date(2022, 6, 8)  # type: ignore[attr-defined]
    assert doc.expiry_date == date(2025, 6, 7)  # type: ignore[attr-defined]
    assert any("signing date" in w for w in doc.warnings)  # type: ignore[attr-defined]


def test_effective_some_days_after_publication_adds_the_days(render: Callable[[OfficialDoc], object]) -> None:
    """自公布之日起30日后施行 is the publication date plus 30 days."""
    doc = render(_doc(title="临江市养犬管理规定", issuers=["临江市人民政府"], doc_number="临政发〔2022〕3号",
                      body=["第一条　为了规范养犬行为，制定本规定。", "第二条　本规定自公布之日起30日后施行。"]))
    assert doc.effective_date == date(2022, 6, 13) + timedelta(days=30)  # type: ignore[attr-defined]


def test_own_closing_clause_wins_over_a_date_that_dates_another_act(render: Callable[[OfficialDoc], object]) -> None:
    """…起施行的《某办法》 dates the act being repealed, never this one; the closing article does."""
    doc = render(_doc(title="临江市政府投资项目管理办法", body=[
        "第一条　为规范政府投资行为，制定本办法。",
        "第二条　本办法自2022年8月1日起施行。2015年3月1日起施行的《临江市政府投资管理暂行办法》同时废止。",
    ]))
    assert doc.effective_date == date(2022, 8, 1)  # type: ignore[attr-defined]


def test_clause_of_the_documents_own_type_is_chosen(render: Callable[[OfficialDoc], object]) -> None:
    """A decision that quotes a measure's clause takes its own (本决定), whatever the order."""
    doc = render(_doc(title="临江市人民政府关于修改部分规章的决定", issuers=["临江市人民政府"], doc_number="临政发〔2022〕9号",
                      body=["将第十条修改为：“本办法自2023年1月1日起施行。”", "本决定自公布之日起施行。"]))
    assert doc.effective_date == date(2022, 6, 13)  # type: ignore[attr-defined]
    assert doc.effective_date_basis == "本决定自公布之日起施行"  # type: ignore[attr-defined]


# --- issuers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("issuers", [
    ["国务院", "中央军委"],
    ["最高人民法院", "最高人民检察院"],
    ["临江市财政局", "临江市税务局", "临江市人力资源和社会保障局"],
])
def test_joint_issuers_are_kept_whole_and_in_order(render: Callable[[OfficialDoc], object], issuers: list[str]) -> None:
    """Organs stacked in the header and in the signature are all issuers; the first is ``issuer``."""
    title = "、".join(issuers) + "关于进一步做好退役人员就业工作的通知"
    doc = render(_doc(issuers=issuers, title=title, chinese_date=len(issuers) == 2))
    assert [doc.issuer, *doc.co_issuers] == issuers  # type: ignore[attr-defined]
    assert doc.title == title  # type: ignore[attr-defined]


def test_an_organ_name_wrapped_over_two_lines_is_one_issuer(tmp_path: Path) -> None:
    """最高人民检 / 察院 in a narrow signature column is 最高人民检察院, never a fragment 察院."""
    path = tmp_path / "wrapped.txt"
    path.write_text("最高人民法院　最高人民检察院关于办理危害食品安全刑事案件的通知\n\n各省、自治区、直辖市高级人民法院、人民检察院：\n\n"
                    "现就有关问题通知如下。本通知自印发之日起施行。\n\n最高人民法院　最高人民检\n察院\n二〇二二年五月九日\n",
                    encoding="utf-8")
    doc = extract(path)
    assert [doc.issuer, *doc.co_issuers] == ["最高人民法院", "最高人民检察院"]
    assert doc.written_date == date(2022, 5, 9)
    assert doc.effective_date == date(2022, 5, 9)


# --- titles, dates, articles -------------------------------------------------------------------------

def test_two_line_title_is_read_whole(render: Callable[[OfficialDoc], object]) -> None:
    """A title longer than a line is set over two or three centred lines; all of them are the title."""
    title = "临江市人民政府办公室关于深入推进跨部门联合“双随机、一公开”监管工作的实施意见"
    doc = render(_doc(title=title))
    assert doc.title == title  # type: ignore[attr-defined]


def test_signing_date_in_chinese_numerals(render: Callable[[OfficialDoc], object]) -> None:
    """二〇一八年十二月十八日 under the signature is the 成文日期."""
    doc = render(_doc(written_date=date(2018, 12, 18), publication_date=date(2018, 12, 20), chinese_date=True,
                      doc_number="临政办发〔2018〕77号"))
    assert doc.written_date == date(2018, 12, 18)  # type: ignore[attr-defined]
    assert doc.publication_date == date(2018, 12, 20)  # type: ignore[attr-defined]


def test_ocr_style_zero_in_a_chinese_year_is_read() -> None:
    from ingest.dates import parse_date

    assert parse_date("二O一八年十二月十八日") == date(2018, 12, 18)


def test_closing_matter_is_not_part_of_the_last_article() -> None:
    """The signature, 抄送 and 印发 lines follow the last article on the page but are not its text."""
    text = ("第一条　为了规范管理，制定本办法。\n第二条　本办法自2022年1月1日起施行。\n\n临江市人民政府\n2021年12月20日\n\n"
            "抄送：市委各部门。\n临江市人民政府办公室　2021年12月22日印发")
    articles = split_articles(text)
    assert [a.text for a in articles] == ["第一条　为了规范管理，制定本办法。", "第二条　本办法自2022年1月1日起施行。"]


# --- text layers --------------------------------------------------------------------------------------

_LYING = str.maketrans("0123456789，。、：《》（）", "园员圆猿源缘远苑愿怨袁遥尧院叶曳渊冤")


def test_a_text_layer_without_punctuation_or_digits_is_garbage() -> None:
    """Fonts that map symbols onto other characters leave long Chinese text with no ， 。 or digit."""
    real = ("为贯彻《中华人民共和国环境保护法》，防治污染，保护和改善生态环境，保障人体健康，制定本标准。"
            "本标准自2008年7月1日起实施，规定了生活垃圾填埋场选址要求、工程设计与施工要求、填埋废物的入场条件。") * 4
    assert garbage_reason(real) is None
    assert garbage_reason(real.translate(_LYING)) is not None
    assert garbage_reason("\ue001\ue002\ue003" * 20) is not None
    assert garbage_reason("附件") is None  # too little text to judge


def test_attachment_heading_is_not_part_of_the_title(tmp_path: Path) -> None:
    """An attachment filed on its own starts with its label (附件2); the title is the line after it."""
    path = tmp_path / "attachment.txt"
    path.write_text("附件2\n\n临江市行政执法案件移送审批表\n\n案由：\n", encoding="utf-8")
    assert extract(path).title == "临江市行政执法案件移送审批表"
