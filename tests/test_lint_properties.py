"""No false alarms: lint(render(figures)) reports no error and no warning — for every bundled example
under every profile and output format, and for random consistent units (Hypothesis), with and without
the tables.  Run more examples with ``HYPOTHESIS_PROFILE=deep``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layouts import placed
from strategies import units

import narrate
from narrate.dump import figures_data
from narrate.linting.verify import stated
from narrate.rendering import bundled_profiles
from narrate.writers.markdown import plain_text

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
PROFILES = bundled_profiles()


def _comparable(document, figures):
    """narrate's printed numbers whose figures were all given (defaulted 表外数据 are not compared)."""
    return sum(1 for b in document.blocks for n in b.numbers if stated(n.fact, figures))


def _alarms(report):
    return "\n".join(f.describe() for f in report.findings if f.severity != "info")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("fmt", ["txt", "md", "docx"])
def test_bundled_examples_lint_clean_in_every_profile_and_format(example, profile, fmt, tmp_path):
    figures = narrate.figures_from_data(placed(figures_data(narrate.load(example)), profile))
    document = narrate.render(narrate.compute(figures), profile=profile)
    path = tmp_path / f"chapter.{fmt}"
    narrate.write(document, path)
    with_tables = narrate.lint(path, figures=figures, profile=profile)
    assert not _alarms(with_tables) and not with_tables.notes, _alarms(with_tables)
    assert with_tables.verified == _comparable(document, figures)  # every number compared
    alone = narrate.lint(path)  # the profile is recognised from the headings
    assert alone.profile == profile and not _alarms(alone), _alarms(alone)


@given(units(), st.sampled_from(PROFILES))
def test_random_units_lint_clean(data, profile):
    figures = narrate.figures_from_data(placed(data, profile))
    document = narrate.render(narrate.compute(figures), profile=profile)
    text = plain_text(document)
    with_tables = narrate.lint(text, figures=figures, profile=profile)
    assert not _alarms(with_tables), _alarms(with_tables)
    assert with_tables.verified == _comparable(document, figures)
    alone = narrate.lint(text, profile=profile)
    assert not _alarms(alone), _alarms(alone)


@given(units(), st.permutations(PROFILES))
def test_text_in_another_layout_gives_no_false_alarm(data, profiles):
    """A chapter written in one layout, checked against the tables under another: what cannot be
    aligned is left alone (only the other layout's sections are reported missing)."""
    written, chosen = profiles[0], profiles[-1]
    figures = narrate.figures_from_data(placed(data, chosen))  # the same unit, its figures where `chosen` reads them
    text = plain_text(narrate.render(narrate.compute(narrate.figures_from_data(placed(data, written))), profile=written))
    report = narrate.lint(text, figures=figures, profile=chosen)
    # a layout printing rates with other decimals (central-style: 1) rightly gets the 小数位 warning
    other_decimals = (narrate.rendering.load_profile(written).style.numbers.rate_decimals
                      != narrate.rendering.load_profile(chosen).style.numbers.rate_decimals)
    alarms = [f for f in report.findings if f.severity != "info" and f.category != "缺少章节"
              and not (other_decimals and f.category == "小数位")]
    assert not alarms, "\n".join(f.describe() for f in alarms)


def _shift_last_integer_digit(printed: str) -> str:
    """"12,423.32" → "12,424.32", "81.76%" → "82.76%", "5" → "6": a different value, beyond any tail."""
    integer = printed.split(".")[0]
    i = max(k for k, ch in enumerate(integer) if ch.isdigit())
    return printed[:i] + str((int(printed[i]) + 1) % 10) + printed[i + 1:]


@given(units(), st.sampled_from(PROFILES), st.data())
def test_any_printed_number_changed_is_found_at_its_paragraph(data, profile, draw):
    """Mutation, for random units: change one number narrate printed (a share, rate, completion, change
    amount, cell or count); lint reports it at its paragraph with narrate's value as expected."""
    figures = narrate.figures_from_data(data)
    document = narrate.render(narrate.compute(figures), profile=profile)
    numbers = [(i, n) for i, n in document.numbers() if stated(n.fact, figures)]
    i, number = draw.draw(st.sampled_from(numbers))
    block = document.blocks[i]
    changed = block.text[:number.start] + _shift_last_integer_digit(number.text) + block.text[number.end:]
    lines = [b.text for b in document.blocks]
    lines[i] = changed
    report = narrate.lint("\n".join(lines), figures=figures, profile=profile)
    hits = [f for f in report.findings if f.paragraph == i + 1 and f.severity == "error"]
    assert any(f.expected.startswith(number.text) for f in hits), (
        changed, "\n".join(f.describe() for f in report.findings))
