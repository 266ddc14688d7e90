"""A blank table the layout needs is an error, unless the unit states it has no such 收支."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import narrate
from narrate.cli import main
from narrate.rendering import templates_root

EMPTY = "unit:\n  name: 测试单位\n  year: 2024\n"
REQUIRED = ["公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表"]


def blank_messages(report) -> list[str]:
    return [f.message for f in report.errors if f.category == "空表"]


def test_empty_figures_fail_check_naming_each_table(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text(EMPTY, encoding="utf-8")
    messages = blank_messages(narrate.check(narrate.load(path)))
    assert [m.split()[0] for m in messages] == REQUIRED
    assert all("没有数据" in m and "unit.empty_tables" in m for m in messages)


def test_empty_workbook_fails_check_and_render_writes_nothing(tmp_path):
    (tmp_path / "empty.yaml").write_text(EMPTY, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["convert", str(tmp_path / "empty.yaml"), "-o", str(tmp_path / "empty.xlsx")]).exit_code == 0
    result = runner.invoke(main, ["check", str(tmp_path / "empty.xlsx")])
    assert result.exit_code == 1 and "核对未通过（错误 6 处" in result.output
    result = runner.invoke(main, ["render", str(tmp_path / "empty.xlsx"), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 1 and not (tmp_path / "out.docx").exists()


def test_stated_empty_tables_pass(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text(EMPTY + "  empty_tables: 公开01表、02表、3、t04 公开05表；06\n", encoding="utf-8")
    figures = narrate.load(path)
    assert figures.unit.empty_table_keys == ("t01", "t02", "t03", "t04", "t05", "t06")
    assert blank_messages(narrate.check(figures)) == []


def test_a_table_stated_empty_must_be_blank(example_path, tmp_path):
    text = example_path.read_text(encoding="utf-8").replace("  year: 2024\n", "  year: 2024\n  empty_tables: 公开05表\n", 1)
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    messages = blank_messages(narrate.check(narrate.load(tmp_path / "unit.yaml")))
    assert len(messages) == 1 and "公开05表" in messages[0] and "有数据" in messages[0]


def test_the_example_states_nothing_and_passes(example_figures):
    assert example_figures.unit.empty_tables == ""
    assert blank_messages(narrate.check(example_figures)) == []


@pytest.mark.parametrize("written", ["公开11表", "表五", "t0"])
def test_a_wrong_table_number_is_refused(tmp_path, written):
    path = tmp_path / "unit.yaml"
    path.write_text(EMPTY + f"  empty_tables: {written}\n", encoding="utf-8")
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(path)
    assert "unit.empty_tables" in str(info.value) and "不是公开表的表号" in str(info.value)


def test_the_profile_names_the_tables_that_need_data(tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(templates_root() / "zh" / "default", folder)
    profile = folder / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "tables_with_data: [t01]\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text(EMPTY, encoding="utf-8")
    report = narrate.check(narrate.load(tmp_path / "empty.yaml"), profile=str(folder))
    assert [m.split()[0] for m in blank_messages(report)] == ["公开01表"]


def test_empty_tables_round_trip_through_the_workbook(tmp_path):
    """“公开04表” in the 单位信息 sheet is a value, not the start of a table."""
    (tmp_path / "u.yaml").write_text(EMPTY + "  empty_tables: 公开01表、公开02表、公开03表、公开04表、公开05表、公开06表\n",
                                     encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["convert", str(tmp_path / "u.yaml"), "-o", str(tmp_path / "u.xlsx")]).exit_code == 0
    figures = narrate.load(tmp_path / "u.xlsx")
    assert figures.unit.empty_table_keys == ("t01", "t02", "t03", "t04", "t05", "t06")
    assert blank_messages(narrate.check(figures)) == []
