"""Hostile YAML/JSON/TOML figures files (issue 10): alias bombs, duplicate keys, YAML 1.1 scalars, signs, options."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

import narrate
from narrate.loaders import fastyaml
from narrate.loaders.text import _yaml_loader

from .harness import assert_refused, run, run_python, snapshot

UNIT = "unit:\n  name: 测试单位\n  year: 2024\n"


def full(text: str):
    return yaml.load(text, Loader=_yaml_loader())  # noqa: S506


def refused(path) -> narrate.FiguresError:
    with pytest.raises(narrate.FiguresError) as caught:
        narrate.load(path)
    return caught.value


def bomb(levels: int = 9, width: int = 9, tag: str = "") -> str:
    """Billion laughs: each level lists the previous one ``width`` times (377 bytes for 9×9)."""
    lines = ["a: &a [" + ",".join(['"x"'] * width) + "]"]
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} {tag}[" + ",".join([f"*{prev}"] * width) + "]")
    return UNIT + "\n".join(lines) + "\n"


# ---------------------------------------------------------------- 1. alias bombs
@pytest.mark.parametrize("tag", ["", "!!seq "], ids=["fast-path", "full-loader"])
def test_alias_bomb_is_refused_under_1_gib(tmp_path, tag):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(tag=tag), encoding="utf-8")
    before = snapshot(tmp_path)
    outcome = run("render", path, "-o", tmp_path / "out.docx")
    assert_refused(outcome, "bomb.yaml", "别名", "第 ", "NARRATE_MAX_YAML_ALIAS_NODES")
    assert len(outcome.stderr) < 2000 and snapshot(tmp_path) == before


def test_merge_key_bomb_is_refused_under_1_gib(tmp_path):
    lines = ["a: &a {" + ", ".join(f"k{i}: x" for i in range(9)) + "}"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} {{<<: [" + ", ".join([f"*{prev}"] * 9) + "]}")
    path = tmp_path / "merge.yaml"
    path.write_text(UNIT + "\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(run("check", path), "merge.yaml", "别名")


def test_alias_bomb_line_is_named(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(levels=7, width=9), encoding="utf-8")
    problem = refused(path).problems[0]
    assert problem.line is not None and 4 <= problem.line <= 10 and "别名" in problem.message


def test_recursive_alias_is_refused(tmp_path):
    for body in ("a: &a [1, *a]\n", "a: &a {x: *a}\n"):
        path = tmp_path / "loop.yaml"
        path.write_text(UNIT + body, encoding="utf-8")
        problem = refused(path).problems[0]
        assert "循环" in problem.message and problem.line == 4


def test_a_few_aliases_still_load(tmp_path):
    text = UNIT + "totals:\n  change_reason: &r 原因\nfiscal_totals:\n  change_reason: *r\n"
    assert fastyaml.load(text) == full(text)
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    assert narrate.load(path).fiscal_totals.change_reason == "原因"


def test_found_text_in_messages_is_capped(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(UNIT + "general_budget: [" + ", ".join(["很长的文字"] * 5000) + "]\n", encoding="utf-8")
    message = str(refused(path))
    assert len(message) < 400 and "…" in message


def test_huge_integer_in_data_is_a_figures_error_naming_the_field():
    for where in ({"totals": {"prior_income_total": 10**5000}}, {"three_public": {"overseas_groups": 10**5000}},
                  {"tables": {"t02": {"rows": [{"code": 10**5000, "name": "x"}]}}}):
        with pytest.raises(narrate.FiguresError) as caught:
            narrate.figures_from_data({"unit": {"name": "x", "year": 2024}, **where})
        problem = caught.value.problems[0]
        assert len(str(caught.value)) < 400 and problem.path.startswith(next(iter(where)))
    with pytest.raises(narrate.FiguresError) as caught:
        narrate.figures_from_data({"unit": {"name": 10**5000, "year": 10**5000}})
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_huge_integer_in_a_file_is_refused_cleanly(tmp_path, suffix):
    digits = "9" * 5000
    text = {".yaml": UNIT + f"totals:\n  prior_income_total: {digits}\n",
            ".json": '{"unit": {"name": "x", "year": 2024}, "totals": {"prior_income_total": %s}}' % digits,
            ".toml": f'[unit]\nname = "x"\nyear = 2024\n[totals]\nprior_income_total = {digits}\n'}[suffix]
    path = tmp_path / f"big{suffix}"
    path.write_text(text, encoding="utf-8")
    error = refused(path)
    assert len(str(error)) < 400 and "Exceeds" not in str(error)


# ---------------------------------------------------------------- 2. duplicate keys
@pytest.mark.parametrize("extra", ["", "  other: !!str x\n"], ids=["fast-path", "full-loader"])
def test_yaml_duplicate_key_names_both_lines(tmp_path, extra):
    path = tmp_path / "dup.yaml"
    path.write_text(UNIT + "totals:\n  prior_income_total: 1\n" + extra + "  prior_income_total: 2\n", encoding="utf-8")
    problem = refused(path).problems[0]
    second = 6 if not extra else 7
    assert "prior_income_total" in problem.message and "重复" in problem.message
    assert "第 5 行" in problem.message and problem.line == second


def test_yaml_merge_keys_may_still_be_overridden():
    text = "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n"
    assert full(text)["c"] == {"x": 3, "y": 2}


def test_json_duplicate_key_names_both_lines(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{\n "unit": {"name": "x", "year": 2024},\n "totals": {\n  "prior_income_total": 1,\n'
                    '  "change_reason": "a \\"prior_income_total\\": b",\n  "prior_income_total": 2\n }\n}\n',
                    encoding="utf-8")
    problem = refused(path).problems[0]
    assert "prior_income_total" in problem.message and "第 4 行" in problem.message and problem.line == 6


def test_toml_duplicate_key_message_is_clean(tmp_path):
    path = tmp_path / "dup.toml"
    path.write_text('[unit]\nname = "x"\nyear = 2024\nname = "y"\n', encoding="utf-8")
    problem = refused(path).problems[0]
    assert problem.line == 4 and "重复" in problem.message and "Cannot" not in problem.message


# ---------------------------------------------------------------- 3. YAML 1.1 scalars
SCALARS = ["0700", "0x71", "0o17", "0b101", "1:30", "1_000", "190:20:30.15", "yes", "No", "on", "OFF", "y",
           "2024-01-01", "=", "<<x", ".inf", "-.inf", ".nan", "1e3", "6.8e+2", "1.", ".5", "-0", "+12", "0", "00",
           "true", "False", "~", "null", "12,423.32", "0.50", "2080101"]


def test_scalars_read_as_yaml_1_2_in_both_paths():
    text = "\n".join(f"k{i}: {s}" for i, s in enumerate(SCALARS)) + "\n"
    fast, slow = fastyaml.load(text), full(text)
    assert fast is not fastyaml.UNSUPPORTED
    assert repr(fast) == repr(slow)
    got = dict(zip(SCALARS, fast.values()))
    for kept in ("0700", "0x71", "0o17", "0b101", "1:30", "1_000", "yes", "No", "on", "OFF", "2024-01-01", "00"):
        assert got[kept] == kept
    assert got["true"] is True and got["False"] is False and got["~"] is None and got["2080101"] == 2080101
    assert got["0.50"] == Decimal("0.50") and got["-0"] == 0


def test_leading_zero_code_stays_a_string_and_amount_is_refused(tmp_path):
    base = UNIT + "general_budget:\n  functions:\n    0700: {prior_year: 1}\n"
    data = fastyaml.load(base)
    assert list(data["general_budget"]["functions"]) == ["0700"]
    path = tmp_path / "amount.yaml"
    for written in ("0700", "0x71", "1:30", "0b101", "1_000"):
        path.write_text(UNIT + f"totals:\n  prior_income_total: {written}\n", encoding="utf-8")
        problem = refused(path).problems[0]
        assert problem.path == "totals.prior_income_total" and problem.line == 5 and written in problem.describe()


def test_bundled_examples_load_as_with_yaml_1_1():
    class Old(yaml.SafeLoader):
        pass

    Old.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
    for name in ("default", "shanghai-2024"):
        path = narrate.example_path(name)
        text = path.read_text(encoding="utf-8")
        assert fastyaml.load(text) == yaml.load(text, Loader=Old) == full(text)  # noqa: S506
        assert narrate.load(path) == narrate.figures_from_data(yaml.load(text, Loader=Old))  # noqa: S506


# ---------------------------------------------------------------- 4. signs of non-table amounts
@pytest.mark.parametrize("field", ["totals:\n  prior_income_total", "general_budget:\n  budget_initial",
                                   "three_public:\n  prior_year:\n    total", "admin_operating_cost:\n  prior_year",
                                   "procurement:\n  sme_amount", "performance:\n  average_score"])
def test_negative_non_table_amount_is_refused(tmp_path, field):
    path = tmp_path / "neg.yaml"
    path.write_text(UNIT + f"{field}: -7211.33\n", encoding="utf-8")
    problem = refused(path).problems[0]
    assert "负数" in problem.message and problem.path == field.replace(":\n", ".").replace(" ", "")
    assert problem.line == 4 + field.count("\n")


# ---------------------------------------------------------------- 5. options
@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-5", "Infinity", "1e999999999999"])
def test_bad_reason_threshold_is_refused_by_the_cli(tmp_path, example_path, value):
    outcome = run("check", example_path, "--reason-threshold", value)
    assert_refused(outcome, "--reason-threshold", value)
    outcome = run("render", example_path, "-o", tmp_path / "x.md", "--reason-threshold", value)
    assert_refused(outcome, "--reason-threshold")
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-5", Decimal("NaN"), float("inf"), -1, None, True, [1]])
def test_bad_reason_threshold_is_a_value_error_in_the_library(example_figures, value):
    with pytest.raises(ValueError, match="reason_threshold") as caught:
        narrate.check(example_figures, reason_threshold=value)
    assert type(caught.value) is ValueError


@pytest.mark.parametrize("value", ["0", "10", "12.5", 10, Decimal("7.5"), 2.5, "10%"])
def test_good_reason_thresholds_are_accepted(example_figures, value):
    assert narrate.check(example_figures, reason_threshold=value).ok


def test_library_bomb_in_a_child_process(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(), encoding="utf-8")
    code = f"import narrate\ntry:\n    narrate.load({str(path)!r})\nexcept narrate.FiguresError as e:\n    print('REFUSED', e)\n"
    outcome = run_python(code)
    assert outcome.returncode == 0 and "REFUSED" in outcome.stdout, outcome.stderr[-2000:]


def test_json_nesting_is_refused_cleanly(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"unit": ' + "[" * 100000 + "]" * 100000 + "}", encoding="utf-8")
    error = refused(path)
    assert len(str(error)) < 400


def test_deep_yaml_nesting_is_refused_cleanly(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("unit:\n  name: " + "[" * 50000 + "]" * 50000 + "\n  year: 2024\n", encoding="utf-8")
    error = refused(path)
    assert len(str(error)) < 400


def test_duplicate_keys_on_one_line_are_refused(tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text(UNIT + "totals: {prior_income_total: 1, prior_income_total: 2}\n", encoding="utf-8")
    assert "重复" in refused(path).problems[0].message
