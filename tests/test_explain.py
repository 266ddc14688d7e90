"""narrate explain: every number of the text, with formula and source cells."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from test_provenance import PRINTED

import narrate
from narrate.cli import main


def test_explain_covers_every_printed_number(example_document):
    entries = narrate.explain(example_document)
    printed = [(i, m.start()) for i, b in enumerate(example_document.blocks) for m in PRINTED.finditer(b.text)]
    assert len(entries) == len(printed) > 100
    by_block = {}
    for entry in entries:
        by_block.setdefault(entry.block, []).append(entry.printed)
    for i, block in enumerate(example_document.blocks):
        found = [m.group() for m in PRINTED.finditer(block.text)]
        assert [p.rstrip("%") for p in by_block.get(i, [])] == found


def test_explain_entry_for_a_share(example_document):
    entry = next(e for e in narrate.explain(example_document) if e.printed == "81.76%")
    assert entry.formula == "12,423.32 ÷ 15,194.61 × 100"
    assert entry.sources == ("公开05表 208 社会保障和就业支出 小计", "公开05表 合计 小计")
    assert entry.section == "第三部分 情况说明 / 五、一般公共预算财政拨款支出决算情况说明 / （二）一般公共预算财政拨款支出决算结构情况"
    assert entry.context == "…,423.32万元，占比81.76%；"


def test_cli_explain_text_and_json(example_path):
    runner = CliRunner()
    text = runner.invoke(main, ["explain", str(example_path)])
    assert text.exit_code == 0
    # in words, as a finance officer writes it (issue 15); the JSON keeps the parseable formula too
    assert "部分 ÷ 合计 × 100% = 12,423.32 ÷ 15,194.61 × 100% = 81.76%" in text.stdout and "来源：" in text.stdout
    assert "收入总计：照表列示" in text.stdout and "= |" not in text.stdout
    payload = json.loads(runner.invoke(main, ["explain", str(example_path), "--json"]).stdout)
    assert len(payload) == len(re.findall(r"^\s*\d+\. ", text.stdout, flags=re.M))
    assert {"printed", "formula", "sources", "block", "section", "label", "value", "how", "cells"} <= set(payload[0])
