"""Layouts with nine tables (central-style): the profile names its tables, t10 is absent (its figures are
表外数据), check cites the layout's table names; and the central-style golden."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrate
from narrate.rendering import bundled_profiles, load_profile
from recompute import assert_numbers_recompute, input_values

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def central():
    figures = narrate.load(narrate.example_path("central-style.yaml"))
    return figures, narrate.render(narrate.compute(figures))


def test_central_style_is_bundled_and_its_example_selects_it(central):
    assert "central-style" in bundled_profiles()
    assert central[0].profile == "central-style"


def test_central_style_snapshot(central):
    expected = (DATA / "central-style.expected.txt").read_text(encoding="utf-8")
    assert narrate.to_bytes(central[1], "txt").decode("utf-8") == expected


def test_central_style_conventions_end_to_end(central):
    figures, document = central
    text = "\n".join(document.paragraphs())
    assert "收、支总计各增加" in text and "两项合计225.24万元，占1.5%" in text and "（基数为0，不可比）" in text
    assert "15,194.61" in text and "占81.8%" in text
    conventions = load_profile("central-style").style.numbers
    assert conventions.rate_decimals == 1
    assert assert_numbers_recompute(document, input_values(figures.model_dump()), conventions) > 50


def test_the_profile_maps_table_numbers_and_declares_t10_absent():
    style = load_profile("central-style").style
    assert style.table_name("t09") == "表九" and style.table_name("t05") == "表五"
    assert style.table_name("t10").startswith("表外数据")
    assert style.cite("公开05表 合计 与 公开10表 车辆") == "表五 合计 与 表外数据（本版式无公开10表） 车辆"
    default = load_profile("default").style
    assert default.table_name("t09") == "公开09表" and default.cite("公开10表") == "公开10表"


def test_check_cites_the_layouts_table_names(central):
    figures, _ = central
    data = figures.model_dump(by_alias=True, exclude_none=True)
    data["tables"]["t05"]["total"]["total"] = 99999
    broken = narrate.Figures.model_validate(data)
    central_msgs = " ".join(f.message + " ".join(c.label for c in f.cells) for f in narrate.check(broken).errors)
    default_msgs = " ".join(f.message + " ".join(c.label for c in f.cells)
                            for f in narrate.check(broken, profile="default").errors)
    assert "公开05表" in default_msgs and "表五" not in default_msgs
    assert "表五" in central_msgs and "公开05表" not in central_msgs


def test_explain_cites_the_layouts_table_names(central):
    entries = narrate.explain(central[1])
    sources = " ".join(s for e in entries for s in e.sources)
    assert "表五" in sources and "公开05表" not in sources
    assert "公开05表" in " ".join(s for e in narrate.explain(narrate.render(narrate.compute(central[0]),
                                                                          profile="default")) for s in e.sources)
