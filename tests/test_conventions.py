"""Number conventions as profile/unit settings (numbers:): separators, zero, rate decimals, zero bases."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

import narrate
from narrate.facts import Fact, Source, change, share
from narrate.numbers import Conventions, format_amount, format_rate
from narrate.style import StyleSpec


def styled(figures, **numbers):
    return figures.model_copy(update={"style": StyleSpec.model_validate({"numbers": numbers})})


def text_of(figures) -> str:
    return "\n".join(narrate.render(narrate.compute(figures)).paragraphs())


def amount(value: str) -> Fact:
    return Fact("k", "k", D(value), "amount", "", (Source("公开01表"),))


def test_defaults_are_the_reference_documents():
    c = Conventions()
    assert format_amount(D("15194.61"), c) == "15,194.61" and format_amount(D(0), c) == "0"
    assert format_rate(D("81.76"), c) == "81.76%"


def test_thousands_off_and_zero_as_0_00():
    c = Conventions(thousands=False, zero="0.00")
    assert format_amount(D("15194.61"), c) == "15194.61"
    assert format_amount(D(0), c) == "0.00"


def test_one_decimal_rounds_half_up_from_the_exact_quotient():
    # 12.345 → 12.3 at 1 decimal (not 12.35 → 12.4): the rate is computed from exact values
    fact = share("s", "s", amount("1234.5"), amount("10000"))
    assert fact.value == D("12.35") and fact.exact == D("12.345")
    assert format_rate(fact.value, Conventions(rate_decimals=1), fact.exact) == "12.3%"
    half = share("s", "s", amount("1.25"), amount("10"))  # exactly 12.5 → 12.5
    assert format_rate(half.value, Conventions(rate_decimals=1), half.exact) == "12.5%"
    up = share("s", "s", amount("1.2355"), amount("10"))  # 12.355 → 12.4 (half up)
    assert format_rate(up.value, Conventions(rate_decimals=1), up.exact) == "12.4%"


def test_zero_base_gives_a_convention_rate_only_on_request():
    c = change("x.change", "x", amount("5"), amount("0"))
    assert c.rate is None and c.base_zero_rate is not None and c.base_zero_rate.value == 100


def test_rendered_document_follows_the_units_numbers_block(example_figures, example_document):
    base = "\n".join(example_document.paragraphs())
    assert "15,194.61" in base
    text = text_of(styled(example_figures, thousands=False, rate_decimals=1))
    assert "15194.61" in text and "15,194.61" not in text
    assert not re.search(r"\d\.\d\d%", text) and re.search(r"\d\.\d%", text)


def test_explain_states_the_convention(example_figures):
    document = narrate.render(narrate.compute(styled(example_figures, rate_decimals=1)))
    entries = narrate.explain(document)
    rates = [e for e in entries if e.kind == "rate"]
    assert rates and all("1位小数" in e.convention for e in rates)
    assert all("千分位" in e.convention for e in entries if e.kind == "amount")
    assert "convention" in entries[0].as_dict()


@pytest.mark.parametrize("bad", [{"rate_decimals": 3}, {"zero": "零"}, {"thousand": True}])
def test_bad_settings_are_refused(example_path, tmp_path, bad):
    import yaml
    data = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    data["style"] = {"numbers": bad}
    path = tmp_path / "u.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(narrate.FiguresError) as err:
        narrate.load(path)
    assert "style.numbers" in str(err.value)


def test_zero_base_rate_omitted_hundred_or_phrase(example_figures):
    base = text_of(example_figures)
    assert "教育支出" in base and "增加1,817.23万元，" in base  # 上年为0: no rate by default
    hundred = text_of(styled(example_figures, zero_base="hundred"))
    assert "增加1,817.23万元，增长100.00%" in hundred
    phrase = text_of(styled(example_figures, zero_base="phrase", zero_base_phrase="（上年无此项）"))
    assert "增加1,817.23万元（上年无此项）" in phrase


def test_profile_numbers_block_is_validated_with_did_you_mean(tmp_path):
    import shutil

    from narrate.rendering import load_profile, templates_root
    folder = tmp_path / "mine"
    shutil.copytree(templates_root() / "zh" / "default", folder)
    path = folder / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "numbers:\n  rate_decimal: 1\n", encoding="utf-8")
    with pytest.raises(narrate.TemplateError) as err:
        load_profile(str(folder))
    assert "rate_decimals" in str(err.value) and "profile.yaml" in str(err.value)


def test_cli_refuses_a_bad_style_in_the_figures_file(example_path, tmp_path):
    from hostile.harness import assert_refused, run
    text = example_path.read_text(encoding="utf-8") + "\nstyle:\n  numbers:\n    rate_decimals: 5\n"
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert_refused(run("render", str(path), "-o", str(out)), "rate_decimals")
    assert not out.exists()


@pytest.mark.parametrize("style", [{"numbers": {"zero_base_phrase": "（增长100%）"}},
                                   {"wording": {"same_as_budget": "决算数为预算数的100%"}},
                                   {"wording": {"names": {"20x": "某项"}}}])
def test_phrases_may_not_carry_numbers_and_names_need_codes(example_figures, style):
    from pydantic import ValidationError
    with pytest.raises(ValidationError):
        StyleSpec.model_validate(style)


def test_style_survives_the_workbook_round_trip(example_path, tmp_path):
    from hostile.harness import run
    source = tmp_path / "s.yaml"
    source.write_text(example_path.read_text(encoding="utf-8") + "\nstyle:\n  numbers:\n    rate_decimals: 1\n"
                      "    zero: \"0.00\"\n    thousands: false\n  wording:\n    names: {\"208\": 社保就业}\n",
                      encoding="utf-8")
    assert run("convert", str(source), "-o", str(tmp_path / "s.xlsx")).returncode == 0
    assert run("convert", str(tmp_path / "s.xlsx"), "-o", str(tmp_path / "back.yaml")).returncode == 0
    back = narrate.load(tmp_path / "back.yaml").style
    assert back == narrate.load(source).style
    assert back.numbers.rate_decimals == 1 and back.numbers.zero == "0.00" and back.wording.names == {"208": "社保就业"}
