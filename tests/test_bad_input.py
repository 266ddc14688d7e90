"""Bad input is refused with a FiguresError naming the file, field (and line), found and expected."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

import narrate
from narrate import FiguresError
from narrate.loaders.text import parse

MINIMAL = "unit:\n  name: 测试单位\n  year: 2024\n"


def load_text(tmp_path, text: str, name: str = "unit.yaml", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return narrate.load(path)


def problems(exc_info) -> list:
    return exc_info.value.problems


def test_minimal_unit_loads(tmp_path):
    figures = load_text(tmp_path, MINIMAL)
    assert figures.unit.name == "测试单位" and figures.tables.t05.total.total == 0


def test_missing_file(tmp_path):
    with pytest.raises(FiguresError) as e:
        narrate.load(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(e.value) and "不存在" in str(e.value)


def test_empty_file(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, "  \n")
    assert "空" in str(e.value)


@pytest.mark.parametrize(
    "name, text, line",
    [("u.yaml", "unit:\n  name: [a\n  year: 2024\n", 3), ("u.json", '{"unit": {"name": "a",}}', 1),
     ("u.toml", "[unit]\nname = \n", None)],
)
def test_syntax_errors_name_format_and_line(tmp_path, name, text, line):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, text, name)
    p = problems(e)[0]
    assert "语法错误" in p.message
    if line is not None:
        assert p.line == line


def test_gbk_file_is_detected(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "  kind: 行政单位\n", encoding="gbk")
    assert "UTF-8" in str(e.value) and "GBK" in str(e.value)


def test_unknown_key_suggests_the_close_one(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "general_budgte:\n  prior_year: 1\n")
    p = problems(e)[0]
    assert p.path == "general_budgte" and "不认识" in p.message and "general_budget" in p.expected
    assert p.line == 4


def test_missing_required_field(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, "unit:\n  year: 2024\n")
    p = problems(e)[0]
    assert p.path == "unit.name" and "缺少" in p.message


def test_wrong_type(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "tables:\n  t05:\n    rows: 5\n")
    assert problems(e)[0].path == "tables.t05.rows"


@pytest.mark.parametrize("text, ok", [('"12,423.32"', True), ("12423.32", True), ('"12,4x3"', False), ('"1,2.3"', False)])
def test_amount_text_with_thousands_separators(tmp_path, text, ok):
    doc = MINIMAL + f"tables:\n  t05:\n    total: {{total: {text}}}\n"
    if ok:
        assert load_text(tmp_path, doc).tables.t05.total.total == Decimal("12423.32")
    else:
        with pytest.raises(FiguresError) as e:
            load_text(tmp_path, doc)
        p = problems(e)[0]
        assert p.path == "tables.t05.total.total" and p.line == 6 and "不是金额" in p.message


@pytest.mark.parametrize(
    "value, words",
    [("1.234", "两位小数"), ("-5", "负数"), (".nan", "应为金额"), (".inf", "应为金额"), ("100000000000", "过大")],
)
def test_bad_amounts(tmp_path, value, words):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + f"tables:\n  t05:\n    total: {{basic: {value}}}\n")
    assert words in problems(e)[0].message


@pytest.mark.parametrize("value", ["-5", "'二〇二四'"])
def test_what_was_found_is_said_once(tmp_path, value):
    # The validator's message names the value it found; the problem line must not repeat it.
    text = MINIMAL + f"tables:\n  t05:\n    total: {{basic: {value}}}\n" if value == "-5" else \
        f"unit:\n  name: 单位\n  year: {value}\n"
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, text)
    assert str(e.value).count("实际为") == 1


def test_trailing_zero_decimals_are_fine(tmp_path):
    assert load_text(tmp_path, MINIMAL + "tables:\n  t05:\n    total: {basic: 1.2300}\n").tables.t05.total.basic == Decimal(
        "1.23"
    )


def test_duplicate_codes(tmp_path):
    rows = "    rows:\n      - {code: '205', name: 教育支出}\n      - {code: 205, name: 教育支出}\n"
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "tables:\n  t05:\n" + rows)
    assert "重复" in problems(e)[0].message and problems(e)[0].path == "tables.t05.rows[1]"  # the second row, the duplicate


def test_code_length(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "tables:\n  t05:\n    rows:\n      - {code: '2051', name: x}\n")
    assert "3 位" in problems(e)[0].message


def test_spaced_codes_are_normalised(tmp_path):
    rows = "      - {code: 208, name: 社会保障和就业支出}\n      - {code: '208 01', name: 人力资源和社会保障管理事务}\n"
    figures = load_text(tmp_path, MINIMAL + "tables:\n  t05:\n    rows:\n" + rows + "      - {code: '208 01 01', name: 行政运行}\n")
    assert [r.code for r in figures.tables.t05.rows] == ["208", "20801", "2080101"]


@pytest.mark.parametrize("year", ["'二〇二四'", "24.5", "true", "3024"])
def test_year_not_a_year(tmp_path, year):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, f"unit:\n  name: 单位\n  year: {year}\n")
    assert problems(e)[0].path.startswith("unit")


def test_control_characters_refused(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + 'totals:\n  change_reason: "增加\\x07了"\n')
    assert "控制字符" in problems(e)[0].message and problems(e)[0].path == "totals.change_reason"


def test_very_long_text_refused(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "totals:\n  change_reason: " + "长" * 5000 + "\n")
    assert "过长" in problems(e)[0].message


def test_template_syntax_in_free_text_comes_out_literally(example_path):
    data = parse(example_path.read_text(encoding="utf-8"), "yaml", "example")
    data = copy.deepcopy(data)
    data["totals"]["change_reason"] = "{{ unit.name }}{% raw %}和{# x #}"
    document = narrate.render(narrate.compute(narrate.figures_from_data(data)))
    assert any("主要原因是{{ unit.name }}{% raw %}和{# x #}。" in p for p in document.paragraphs())


def test_error_message_is_one_readable_paragraph(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "tables:\n  t05:\n    total: {total: '12,4x3'}\n")
    message = str(e.value)
    assert "unit.yaml" in message and "tables.t05.total.total" in message and "第 6 行" in message
    assert "12,4x3" in message


def test_item_without_its_kuan_is_refused(tmp_path):
    rows = "    rows:\n      - {code: '208', name: 社会保障和就业支出}\n      - {code: '2080101', name: 行政运行}\n"
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "tables:\n  t05:\n" + rows)
    p = problems(e)[0]
    assert p.path == "tables.t05.rows[1]" and "2080101" in p.message and "20801" in p.message and "款" in p.message


def test_blank_outside_amount_is_refused_not_zero(tmp_path):
    with pytest.raises(FiguresError) as e:
        load_text(tmp_path, MINIMAL + "general_budget:\n  prior_year: ''\n")
    p = problems(e)[0]
    assert p.path == "general_budget.prior_year" and "写 0" in p.message


def test_json_may_name_its_schema(tmp_path):
    figures = load_text(tmp_path, '{"$schema": "figures.schema.json", "unit": {"name": "单位", "year": 2024}}', "u.json")
    assert figures.unit.year == 2024
