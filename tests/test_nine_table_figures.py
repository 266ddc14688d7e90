"""A layout without 公开10表 (central-style) takes 机关运行经费, 政府采购, 车辆 and 设备 from 表外数据
(``admin_operating_cost.amount``, ``procurement.total`` …, ``assets.vehicles``, ``assets.equipment_over_1m``),
never from a fake ``tables.t10``: sources, missing fields, misplaced figures, rules, workbook."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

import narrate
from narrate.computation import compute
from narrate.dump import figures_data

EXAMPLE = Path(narrate.example_path("central-style.yaml"))
DEFAULT_EXAMPLE = Path(narrate.example_path("yangcheng-2024.yaml"))


def _data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _blocks(document: narrate.Document, heading: str) -> list:
    """The paragraphs under the heading that contains ``heading`` (up to the next heading)."""
    out, inside = [], False
    for block in document.blocks:
        if block.kind == "heading":
            if inside:
                break
            inside = heading in block.text
        elif inside:
            out.append(block)
    return out


def _paragraph(document: narrate.Document, heading: str) -> str:
    return "".join(block.text for block in _blocks(document, heading))


def _render(data: dict) -> narrate.Document:
    return narrate.render(narrate.compute(narrate.figures_from_data(data)))


def _messages(data: dict, profile: str | None = None) -> list[str]:
    return [f.message for f in narrate.check(narrate.figures_from_data(data), profile=profile).findings]


def test_the_example_has_no_t10_and_prints_its_figures_from_outside_the_tables():
    data = _data()
    assert "t10" not in data["tables"]
    document = _render(data)
    assert _paragraph(document, "机关运行经费").startswith("2024年机关运行经费支出122.55万元，比2023年减少21.82万元")
    assert _paragraph(document, "政府采购") == (
        "2024年度政府采购支出总额0.30万元，其中：政府采购货物支出0.30万元、政府采购工程支出0万元、政府采购服务支出0万元。"
        "政府采购授予中小企业合同金额0万元。其中：授予小微企业合同金额0万元。")
    assert _paragraph(document, "国有资产").startswith("截至2024年12月31日，本部门（单位）共有车辆5辆。其中：应急保障用车1辆，其他用车4辆")
    sources = {e.key: e.sources for e in narrate.explain(document)}
    assert sources["admin_operating_cost.amount"] == ("表外数据 admin_operating_cost.amount 机关运行经费",)
    assert sources["procurement.total"] == ("表外数据 procurement.total 政府采购支出总额",)
    assert sources["assets.vehicles.total"] == ("表外数据 assets.vehicles.total 车辆数合计",)
    assert not any("公开10表" in s or "本版式无" in s for entry in sources.values() for s in entry)


def test_the_same_figures_under_a_ten_table_layout_come_from_t10():
    figures = narrate.load(DEFAULT_EXAMPLE)
    entries = narrate.explain(narrate.render(narrate.compute(figures)))
    sources = {e.key: e.sources for e in entries}
    assert sources["procurement.total"] == ("公开10表 一、政府采购情况 合计 统计数",)
    assert sources["assets.vehicles.total"] == ("公开10表 (一) 车辆数合计(辆) 统计数",)


def test_facts_follow_the_layout_they_are_rendered_in():
    """compute() without the layout, render() in a nine-table layout: the facts are recomputed for it."""
    figures = narrate.load(EXAMPLE)
    plain = compute(figures)
    assert plain.absent_tables == frozenset() and plain.context["procurement"].total.value == 0
    laid_out = plain.for_layout(frozenset({"t10"}))
    assert laid_out.context["procurement"].total.value == narrate.load(EXAMPLE).procurement.total
    assert laid_out.for_layout(frozenset({"t10"})) is laid_out
    assert narrate.to_bytes(narrate.render(plain), "txt") == narrate.to_bytes(narrate.render(laid_out), "txt")


@pytest.mark.parametrize("left_out, section, named", [
    (("admin_operating_cost", "amount"), "机关运行经费", "admin_operating_cost.amount"),
    (("assets", "vehicles"), "国有资产", "assets.vehicles"),
    (("assets", "equipment_over_1m"), "国有资产", "assets.equipment_over_1m"),
])
def test_a_figure_left_out_drops_its_sentence_and_check_names_it(left_out, section, named):
    data = _data()
    before = _paragraph(_render(data), section)
    del data[left_out[0]][left_out[1]]
    after = _paragraph(_render(data), section)
    assert after != before and "None" not in after
    assert any(m.startswith(f"未填 {named}（") for m in _messages(data))


def test_procurement_total_alone_prints_the_total_only():
    data = _data()
    data["procurement"] = {"total": "12.50"}
    assert _paragraph(_render(data), "政府采购") == "2024年度政府采购支出总额12.50万元。"
    assert any(m.startswith("未填 procurement.goods、procurement.works、procurement.services（") for m in _messages(data))
    del data["procurement"]
    assert _paragraph(_render(data), "政府采购") == ""
    assert any(m.startswith("未填 procurement.total（政府采购支出总额）") for m in _messages(data))


def test_procurement_parts_go_together():
    data = _data()
    data["procurement"] = {"total": 5, "goods": 5}
    with pytest.raises(narrate.FiguresError) as refused:
        narrate.figures_from_data(data)
    assert "procurement" in str(refused.value) and "一并填写" in str(refused.value)


def test_the_rules_check_the_figures_where_the_layout_has_them():
    data = _data()
    data["procurement"].update(total="1.00", goods="0.30")  # 0.30 + 0 + 0 ≠ 1.00
    data["assets"]["vehicles"] = {"total": 6, "emergency": 1, "other": 4}
    data["three_public"]["vehicles_held"] = 9
    report = narrate.check(narrate.figures_from_data(data))
    ids = {f.rule for f in report.findings}
    assert {"K0o", "K4o", "K5o"} <= ids and not ids & {"K0", "K4", "K5", "X5"}
    default = narrate.check(narrate.load(DEFAULT_EXAMPLE))
    assert not {f.rule for f in default.findings} & {"K0o", "K3o", "K4o", "K5o", "X5o"}


def test_t10_filled_in_a_nine_table_layout_is_an_error():
    data = _data()
    data["tables"]["t10"] = {"procurement": {"total": 5, "goods": 5}}
    errors = [f for f in narrate.check(narrate.figures_from_data(data)).errors if f.rule == "填错位置"]
    assert len(errors) == 1 and "tables.t10 中的数不会用到" in errors[0].message
    assert "procurement.total" in errors[0].message


def test_stand_ins_filled_in_a_ten_table_layout_are_errors():
    data = yaml.safe_load(DEFAULT_EXAMPLE.read_text(encoding="utf-8"))
    data["procurement"]["total"] = 3
    data["assets"] = {"equipment_over_1m": 1}
    errors = [f.message for f in narrate.check(narrate.figures_from_data(data)).errors if f.rule == "填错位置"]
    assert errors == [
        "procurement.total 只用于没有公开10表的版式（tables.absent 含 t10），本版式不会用到：请填在公开10表（tables.t10.procurement.total）",
        "assets.equipment_over_1m 只用于没有公开10表的版式（tables.absent 含 t10），本版式不会用到：请填在公开10表（tables.t10.equipment_over_1m）",
    ]


def test_render_refuses_misplaced_figures(tmp_path):
    data = _data()
    data["tables"]["t10"] = {"vehicles": {"total": 1, "other": 1}}
    source = tmp_path / "unit.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.docx"
    run = subprocess.run([sys.executable, "-m", "narrate", "render", str(source), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "填错位置" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_blank_workbook_follows_the_layout(tmp_path):
    nine, ten = tmp_path / "nine.xlsx", tmp_path / "ten.xlsx"
    for path, extra in ((nine, ["--profile", "central-style"]), (ten, [])):
        run = subprocess.run([sys.executable, "-m", "narrate", "template-xlsx", "-o", str(path), *extra],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr

    def fields(path: Path) -> set[str]:
        book = openpyxl.load_workbook(path)
        return {str(row[3]) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                if len(row) > 3 and row[3]}

    assert "公开10表" not in openpyxl.load_workbook(nine).sheetnames
    assert "公开10表" in openpyxl.load_workbook(ten).sheetnames
    stand_ins = {"admin_operating_cost.amount", "procurement.total", "procurement.goods", "assets.vehicles.total",
                 "assets.equipment_over_1m"}
    assert stand_ins <= fields(nine) and not stand_ins & fields(ten)


def test_the_workbook_round_trip_keeps_the_figures(tmp_path):
    book, back = tmp_path / "unit.xlsx", tmp_path / "back.yaml"
    for args in (("convert", str(EXAMPLE), "-o", str(book)), ("convert", str(book), "-o", str(back))):
        run = subprocess.run([sys.executable, "-m", "narrate", *args], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    assert "公开10表" not in openpyxl.load_workbook(book).sheetnames
    assert narrate.load(back) == narrate.load(EXAMPLE)


def _printed(document: narrate.Document, heading: str) -> list[object]:
    """The value of each number printed under the heading."""
    return [n.fact.value for block in _blocks(document, heading) for n in block.numbers]


def test_a_ten_table_unit_written_as_nine_prints_the_same_figures():
    """The same unit in both layouts: its 公开10表 figures moved to 表外数据 print the same numbers."""
    from layouts import placed

    ten = figures_data(narrate.load(DEFAULT_EXAMPLE))
    nine = placed(copy.deepcopy(ten), "central-style")
    assert "t10" not in nine["tables"]
    as_nine = narrate.render(narrate.compute(narrate.figures_from_data(nine)), profile="central-style")
    as_ten = narrate.render(narrate.compute(narrate.figures_from_data(ten)), profile="default")
    for heading in ("机关运行经费", "政府采购", "国有资产"):
        assert _printed(as_nine, heading) == _printed(as_ten, heading) != [], heading
