"""narrate convert and narrate.dump: every format round-trips to the same Figures."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import units

import narrate
from narrate.cli import main
from narrate.dump import dumps, figures_data
from narrate.loaders.text import parse
from narrate.writers.workbook import write_workbook


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_example_to_xlsx_and_back(tmp_path, example_path, example_figures, suffix):
    xlsx = tmp_path / "unit.xlsx"
    back = tmp_path / f"back{suffix}"
    assert run("convert", str(example_path), "-o", str(xlsx)).exit_code == 0
    result = run("convert", str(xlsx), "-o", str(back))
    assert result.exit_code == 0, result.output
    assert narrate.load(back) == example_figures
    assert narrate.load(xlsx) == example_figures


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_dump_round_trips(example_figures, fmt):
    assert narrate.figures_from_data(parse(dumps(example_figures, fmt), fmt, "x")) == example_figures


def test_amounts_written_as_exact_two_place_numbers(example_figures):
    text = dumps(example_figures, "yaml")
    assert "教育支出: 1817.23" in text and "total: 26.00" in text
    raw = yaml.safe_load(text)  # a plain YAML reader sees numbers, not strings
    assert raw["tables"]["t01"]["income_total"] == pytest.approx(15194.61)
    j = dumps(example_figures, "json")
    assert '"income_total": 15194.61' in j
    assert json.loads(j, parse_float=Decimal)["tables"]["t02"]["rows"][8]["total"] == Decimal("26.00")
    t = dumps(example_figures, "toml")
    assert "income_total = 15194.61" in t
    assert tomllib.loads(t, parse_float=Decimal)["tables"]["t01"]["income_total"] == Decimal("15194.61")


def test_defaults_are_left_out_and_order_kept(example_figures):
    data = figures_data(example_figures)
    assert list(data) == ["unit", "tables", "totals", "fiscal_totals", "general_budget", "basic", "three_public",
                          "admin_operating_cost", "procurement", "assets", "performance"][: len(data)]
    assert "t07" not in data["tables"] and "t08" not in data["tables"]
    assert "kind" not in data["unit"]  # 行政单位 is the default
    assert list(data["tables"]["t02"]["rows"][0])[:2] == ["code", "name"]
    assert "superior_subsidy" not in data["tables"]["t02"]["rows"][0]  # a blank (zero) cell
    # an explicit 0 outside the tables is not a default (None): it stays
    assert data["general_budget"]["functions"]["205"]["prior_year"] == Decimal("0")


def test_convert_refuses_to_overwrite_and_unknown_formats(tmp_path, example_path):
    out = tmp_path / "x.yaml"
    assert run("convert", str(example_path), "-o", str(out)).exit_code == 0
    assert run("convert", str(example_path), "-o", str(out)).exit_code == 2
    assert run("convert", str(example_path), "-o", str(out), "--force").exit_code == 0
    result = run("convert", str(example_path), "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and ".xlsx" in result.output


def test_convert_reports_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit: {name: x, year: 2024}\ntables: {t05: {total: {total: abc}}}\n", encoding="utf-8")
    result = run("convert", str(bad), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 2 and "tables.t05.total.total" in result.output
    assert not (tmp_path / "out.xlsx").exists()


def test_convert_from_word(tmp_path, example_figures):
    from table_files import docx_from_sheets

    from narrate.writers.workbook import workbook_sheets

    path = tmp_path / "d.docx"
    docx_from_sheets(workbook_sheets(example_figures), path)
    out = tmp_path / "d.yaml"
    assert run("convert", str(path), "-o", str(out)).exit_code == 0
    assert narrate.load(out) == example_figures


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units())
def test_random_units_round_trip_through_every_format(data):
    figures = narrate.figures_from_data(data)
    for fmt in ("yaml", "json", "toml"):
        assert narrate.figures_from_data(parse(dumps(figures, fmt), fmt, "x")) == figures, fmt
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unit.xlsx"
        write_workbook(path, figures)
        assert narrate.load(path) == figures
        os.remove(path)
