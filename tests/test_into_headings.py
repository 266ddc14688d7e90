"""--into with the part headings already typed in the document: narrate does not repeat them.

Documents prepared the natural way (a heading "第三部分 情况说明", then the
{{情况说明}} placeholder; or both part headings typed and one --after-heading)
get each part heading once, and :func:`insertion` counts only what went in.
"""

from __future__ import annotations

import io

import docx
import pytest

from narrate.writers.docx_into import insert_into, insertion, same_part_heading

PART3, PART4 = "第三部分 情况说明", "第四部分 名词解释"


def target(*paragraphs: str) -> bytes:
    """A document: a title, then ``paragraphs`` (those starting "第…部分" in Heading 1), then closing text."""
    d = docx.Document()
    d.add_paragraph("某单位2024年度部门决算", style="Title")
    for text in paragraphs:
        style = "Heading 1" if text.lstrip().startswith("第") and "部分" in text else None
        d.add_paragraph(text, style=style)
    d.add_paragraph("第五部分 附件")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def count(data: bytes, text: str) -> int:
    return sum(1 for t in texts(data) if t.replace(" ", "").replace("\u3000", "") == text.replace(" ", ""))


@pytest.fixture(scope="module")
def blocks(example_document):
    return example_document.blocks


@pytest.fixture(scope="module")
def part_texts(example_document):
    """(Part 3 texts without its heading, Part 4 texts without its heading) of the example."""
    all_texts = [b.text for b in example_document.blocks]
    assert all_texts[0] == PART3 and PART4 in all_texts
    split = all_texts.index(PART4)
    return all_texts[1:split], all_texts[split + 1:]


def test_example_has_the_two_part_headings(blocks):
    assert [b.text for b in blocks if b.kind == "heading" and b.level == 0] == [PART3, PART4]


def test_headings_typed_before_the_placeholders_are_not_repeated(example_document, part_texts):
    result = insertion(example_document, target(PART3, "{{情况说明}}", PART4, "{{名词解释}}"))
    got = texts(result.data)
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    body3, body4 = part_texts
    assert got == ["某单位2024年度部门决算", PART3, *body3, PART4, *body4, "第五部分 附件"]
    assert result.paragraphs == len(example_document.blocks) - 2


def test_nothing_typed_everything_inserted_and_counted(example_document):
    result = insertion(example_document, target("{{情况说明}}", "{{名词解释}}"))
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert result.paragraphs == len(example_document.blocks)


def test_insert_into_still_returns_the_same_bytes(example_document):
    data = target(PART3, "{{情况说明}}", PART4, "{{名词解释}}")
    assert insert_into(example_document, data) == insertion(example_document, data).data


def test_empty_paragraphs_between_heading_and_placeholder_are_passed_over(example_document):
    data = insertion(example_document, target(PART3, "", "  ", "{{情况说明}}", PART4, "", "{{名词解释}}")).data
    assert count(data, PART3) == 1 and count(data, PART4) == 1


@pytest.mark.parametrize("typed", [
    "第三部分\u3000情况说明",   # full-width space
    "第三部分情况说明",         # no space
    "第三部分：情况说明",       # with a colon
    "情况说明",                 # without "第三部分"
    "第三部分",                 # only the part number
    "  第三部分  情况说明 ",
])
def test_loose_match_of_the_typed_heading(example_document, typed):
    data = insertion(example_document, target(typed, "{{情况说明}}", PART4, "{{名词解释}}")).data
    got = texts(data)
    assert PART3 not in got  # narrate's own heading left out
    assert got[1] == typed and got[2] != typed


def test_a_different_paragraph_before_the_placeholder_keeps_narrate_s_heading(example_document):
    result = insertion(example_document, target("第二部分 部门决算表", "{{情况说明}}", "其他说明", "{{名词解释}}"))
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert result.paragraphs == len(example_document.blocks)


def test_one_placeholder_for_both_parts_after_part3_heading(example_document):
    result = insertion(example_document, target(PART3, "{{情况说明及名词解释}}"))
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert result.paragraphs == len(example_document.blocks) - 1


def test_single_after_heading_with_part4_heading_typed(example_document, part_texts):
    """Both headings typed, one --after-heading: Part 4 goes under the document's own Part 4 heading."""
    result = insertion(example_document, target(PART3, "", PART4), after_heading=PART3)
    body3, body4 = part_texts
    got = texts(result.data)
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert got == ["某单位2024年度部门决算", PART3, *body3, "", PART4, *body4, "第五部分 附件"]
    assert result.paragraphs == len(example_document.blocks) - 2


def test_single_after_heading_alone_still_inserts_part4_heading(example_document):
    result = insertion(example_document, target(PART3, "其他内容"), after_heading=PART3)
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert result.paragraphs == len(example_document.blocks) - 1


def test_two_after_headings_count(example_document):
    result = insertion(example_document, target(PART3, PART4), after_heading=[PART3, PART4])
    assert count(result.data, PART3) == 1 and count(result.data, PART4) == 1
    assert result.paragraphs == len(example_document.blocks) - 2


@pytest.mark.parametrize("a,b,same", [
    ("第三部分 情况说明", "第三部分情况说明", True),
    ("第三部分：情况说明", "第三部分 情况说明", True),
    ("情况说明", "第三部分 情况说明", True),
    ("第三部分", "第三部分 情况说明", True),
    ("第三部分 说明", "第三部分 情况说明", True),  # same part number
    ("第四部分 名词解释", "第三部分 情况说明", False),
    ("名词解释", "第三部分 情况说明", False),
    ("第三部分", "情况说明", False),
    ("", "第三部分 情况说明", False),
    ("（情况说明）", "第三部分 情况说明", False),
])
def test_same_part_heading(a, b, same):
    assert same_part_heading(a, b) is same
