"""narrate lint: the reference chapter, input formats, whole disclosures, output, CLI and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hostile.harness import assert_refused, run, snapshot

import narrate
from narrate.cli import main
from narrate.linting.read import heading_level

ROOT = Path(__file__).resolve().parents[1]
YANGCHENG = ROOT / "examples" / "yangcheng-2024.yaml"
REFERENCE_PATH = ROOT / "tests" / "data" / "reference_parts_3_4.txt"
REFERENCE = REFERENCE_PATH.read_text(encoding="utf-8")

# The reference chapter's real slips, each shown by its arithmetic: the figures are right but printed
# with one decimal where the layout prints two.
REFERENCE_SLIPS = [
    (3, "小数位", "110.7%", "110.70%"),   # 7,983.28 ÷ (15,194.61 − 7,983.28) × 100 = 110.70 (收入总计)
    (3, "小数位", "110.7%", "110.70%"),   # the same for 支出总计
    (44, "小数位", "87.3%", "87.30%"),    # 0.55 ÷ (0.08 + 0.55) × 100 = 87.30 (公务接待费)
    (59, "小数位", "5782.9万元", "5,782.90"),  # 绩效自评 涉及资金 = 5,782.90 (table cell), printed "5782.9"
]


def _slips(report):
    return [(f.paragraph, f.category, f.found, f.expected) for f in report.findings]


@pytest.mark.parametrize("figures", [YANGCHENG, None], ids=["with-tables", "text-alone"])
def test_reference_chapter_lints_clean_but_for_its_real_slips(figures):
    report = narrate.lint(REFERENCE_PATH, figures=figures)
    assert _slips(report) == REFERENCE_SLIPS
    assert report.ok and report.exit_code == 0 and report.profile == "default"
    if figures:
        assert report.verified == 114 and report.claims == 115  # all but the 100万元 of the 设备 threshold


def test_library_call_forms():
    import narrate.linting as package

    assert narrate.lint is package.lint  # the function; the package is narrate.linting
    by_text = narrate.lint(REFERENCE, figures=narrate.load(YANGCHENG))
    by_path = package.lint(str(REFERENCE_PATH), figures=str(YANGCHENG))
    assert _slips(by_text) == _slips(by_path) == REFERENCE_SLIPS


def test_whole_disclosure_seed_text_finds_the_chapter():
    seed = Path("/work/shared/seed/000_786bed1ef21bebbf.txt")
    if not seed.exists():
        pytest.skip("the seed disclosure is not on this machine")
    report = narrate.lint(seed, figures=YANGCHENG)
    assert report.ok and [f.category for f in report.findings] == ["小数位"] * 4


def _whole_disclosure(path: Path, chapter: str, notes: bool = True, runs: int = 1) -> None:
    """narrate's tables as a Word disclosure's Part 2 (tests/table_files.py), then the chapter."""
    from table_files import docx_from_sheets

    from narrate.writers.workbook import workbook_sheets

    docx_from_sheets(workbook_sheets(narrate.load(YANGCHENG)), path, notes=notes)
    document = docx.Document(str(path))
    for line in chapter.splitlines():
        if line.strip():
            p = document.add_paragraph()
            step = max(1, len(line) // runs)
            for i in range(0, len(line), step):  # several runs per paragraph, as Word writes them
                p.add_run(line[i:i + step])
    document.save(str(path))


def test_whole_disclosure_docx_reads_its_own_tables(tmp_path):
    path = tmp_path / "决算公开.docx"
    _whole_disclosure(path, REFERENCE)
    report = narrate.lint(path)
    assert _slips(report) == REFERENCE_SLIPS and report.verified == 114 and "决算公开.docx" in report.tables


def test_whole_disclosure_without_figures_outside_the_tables_compares_only_table_figures(tmp_path):
    path = tmp_path / "决算公开.docx"
    _whole_disclosure(path, REFERENCE, notes=False)  # no 上年数, 年初预算, counts: as published
    report = narrate.lint(path)
    assert _slips(report) == REFERENCE_SLIPS and 40 < report.verified < 114
    wrong = REFERENCE.replace("基本支出8,159.21万元，占比53.70%", "基本支出8,159.12万元，占比53.70%")
    _whole_disclosure(path, wrong, notes=False)
    (hit,) = narrate.lint(path).errors
    assert hit.expected == "8,159.21" and "公开03表" in hit.sources[0]


def test_word_chapter_with_headings_and_split_runs(tmp_path):
    path = tmp_path / "情况说明.docx"
    document = docx.Document()
    for line in REFERENCE.splitlines():
        if heading_level(line) is not None:
            document.add_heading(line, level=1)
        else:
            p = document.add_paragraph()
            for i in range(0, len(line), 7):
                p.add_run(line[i:i + 7])
    document.save(str(path))
    assert _slips(narrate.lint(path, figures=YANGCHENG)) == REFERENCE_SLIPS


def _commented_text(path: Path) -> dict[str, str]:
    """Comment id → the document text between its range start and end."""
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for node in body.iter():
        if node.tag == qn("w:commentRangeStart"):
            open_ids[node.get(qn("w:id"))] = []
        elif node.tag == qn("w:commentRangeEnd"):
            cid = node.get(qn("w:id"))
            done[cid] = "".join(open_ids.pop(cid))
        elif node.tag == qn("w:t"):
            for parts in open_ids.values():
                parts.append(node.text or "")
    return done


def test_review_comments_sit_on_each_finding(tmp_path):
    chapter = tmp_path / "情况说明.docx"
    wrong = REFERENCE.replace("占比81.76%", "占比81.67%").replace("增长82.77%", "增长82.77")
    _whole_disclosure(chapter, wrong, runs=3)
    original = chapter.read_bytes()
    out = tmp_path / "审阅.docx"
    result = CliRunner().invoke(main, ["lint", str(chapter), "--review", str(out)])
    assert result.exit_code == 1, result.output
    assert chapter.read_bytes() == original  # the user's file is left as it was
    comments = docx.Document(str(out)).comments
    texts = {str(c.comment_id): c.text for c in comments}
    anchored = _commented_text(out)
    report = narrate.lint(chapter)
    assert len(texts) == len(report.findings) == 6
    spans = sorted(anchored.values())
    assert spans == sorted(["110.7%", "110.7%", "87.3%", "81.67%", "82.77", "5782.9"])
    assert any("应为：81.76%" in t for t in texts.values())
    assert narrate.lint(out).findings == report.findings  # the commented file reads the same


def test_review_refuses_what_it_cannot_do(tmp_path):
    chapter = tmp_path / "c.docx"
    _whole_disclosure(chapter, REFERENCE)
    runner = CliRunner()
    for args, needle in [
        (["lint", str(REFERENCE_PATH), "--review", str(tmp_path / "o.docx")], "只用于 Word"),
        (["lint", str(chapter), "--review", str(chapter)], "不能是被核对的文件本身"),
        (["lint", str(chapter), "--review", str(tmp_path / "o.txt")], "应为 .docx"),
    ]:
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and needle in result.output, result.output
    (tmp_path / "exists.docx").write_bytes(b"keep")
    result = runner.invoke(main, ["lint", str(chapter), "--review", str(tmp_path / "exists.docx")])
    assert result.exit_code == 2 and (tmp_path / "exists.docx").read_bytes() == b"keep"


def test_cli_text_json_and_exit_codes(tmp_path):
    runner = CliRunner()
    clean = runner.invoke(main, ["lint", str(REFERENCE_PATH), "--figures", str(YANGCHENG)])
    assert clean.exit_code == 0 and "未发现错误" in clean.output and "【110.7%】" in clean.output
    bad = tmp_path / "bad.md"
    bad.write_text("# 第三部分 情况说明\n\n## 一、收入支出决算总体情况说明\n\n收入总计XXX万元，增长（下降）5.00%。\n",
                   encoding="utf-8")
    result = runner.invoke(main, ["lint", str(bad), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    residue = [f for f in data["findings"] if f["category"] == "模板残留"]
    assert [f["found"] for f in residue] == ["XXX", "增长（下降）"] and residue[0]["paragraph"] == 3
    assert data["counts"]["error"] == len([f for f in data["findings"] if f["severity"] == "error"])


@pytest.mark.parametrize("content, name, needles", [
    (None, "missing.docx", ("missing.docx", "文件不存在")),
    (b"PK\x03\x04 not a zip", "broken.docx", ("broken.docx", "不是有效的 .docx")),
    (b"\x00\x01\x02binary", "blob.txt", ("blob.txt", "不是文本文件")),
    (b"text", "chapter.rtf", ("chapter.rtf", "不认识的文件类型")),
    (b"\n\n  \n", "empty.txt", ("empty.txt", "没有找到任何文字")),
])
def test_unreadable_input_is_refused_cleanly(tmp_path, content, name, needles):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = snapshot(tmp_path)
    assert_refused(run("lint", path), *needles)
    assert snapshot(tmp_path) == before


def test_unreadable_figures_are_refused_cleanly(tmp_path):
    figures = tmp_path / "f.yaml"
    figures.write_text("unit: [", encoding="utf-8")
    assert_refused(run("lint", REFERENCE_PATH, "--figures", figures), "f.yaml")


def test_overlong_chapter_is_refused_before_any_work(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("第三部分 情况说明\n" + "收入合计1.00万元，增长XX%。\n" * 200_000, encoding="utf-8")
    assert_refused(run("lint", path), "long.txt", "过长")


def test_findings_are_capped(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("一、收入支出决算总体情况说明\n" + "收入合计XXX万元。\n" * 50, encoding="utf-8")
    outcome = run("lint", path, env={"NARRATE_MAX_LINT_FINDINGS": "10"})
    assert outcome.returncode == 1 and "只列出前 10 处问题" in outcome.stdout and not outcome.traceback


def test_tables_that_break_their_own_rules_are_warned_about():
    data = narrate.load(YANGCHENG).model_dump()
    data["tables"]["t01"]["income_total"] = data["tables"]["t01"]["income_total"] + 100
    figures = narrate.figures_from_data(data)
    report = narrate.lint(REFERENCE, figures=figures)
    assert [f.category for f in report.warnings if f.paragraph == 0] == ["公开表"]


def test_headings_whose_numbers_word_keeps_out_of_the_text(tmp_path):
    """Word's automatic numbering: "一、" is not in the paragraph's text; the title alone is still a heading."""
    from narrate.linting.read import title_of

    lines = [title_of(line) if heading_level(line) not in (None, 0) else line for line in REFERENCE.splitlines()]
    path = tmp_path / "c.docx"
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    report = narrate.lint(path, figures=YANGCHENG)
    assert _slips(report) == REFERENCE_SLIPS and report.verified == 114


def test_docx_bomb_and_fifo_are_refused_without_reading_them(tmp_path):
    import os
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(300):  # 300 MiB unpacked, a few hundred KiB packed
                part.write(chunk)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    assert_refused(run("lint", bomb), "bomb.docx", "压缩炸弹")
    assert_refused(run("lint", fifo), "pipe.txt", "不是普通文件")
    assert_refused(run("lint", REFERENCE_PATH, "--figures", fifo), "pipe.txt")
    assert snapshot(tmp_path) == before
