"""The fast YAML path gives exactly what the full PyYAML loader gives, or steps aside."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import units

import narrate
from narrate.dump import to_yaml
from narrate.loaders import fastyaml
from narrate.loaders.text import _yaml_loader


def full(text: str):
    return yaml.load(text, Loader=_yaml_loader())  # noqa: S506


def test_bundled_examples_load_identically():
    for name in ("default", "shanghai-2024"):  # each profile's bundled example
        text = narrate.example_path(name).read_text(encoding="utf-8")
        fast = fastyaml.load(text)
        assert fast is not fastyaml.UNSUPPORTED and fast == full(text)


TRICKY = """
a: yes
b: ~
c:
d: 0x1F
e: 012
f: 1_000
g: 1.50
h: "1.50"
i: '2024'
j: [1, 2.0, null, true, No, OFF, -.inf, +1, -0]
k: &x {m: 1, n: [a, b]}
l: *x
p: 2024年
q: 'a: b'
r: |
  多行
  文字
s: 1e3
t: 6.8e+2
u: '~'
v: "{{ unit.name }}"
w: 2080101
x: 12,423.32
"""


def test_tricky_scalars_match_the_full_loader():
    assert fastyaml.load(TRICKY) == full(TRICKY)


def test_dates_and_yaml_1_1_forms_stay_text():  # YAML 1.2: no timestamps, octal, sexagesimal or yes/no
    text = "a: 2024-01-01\nb: 0700\nc: 1:30\nd: yes\n"
    assert fastyaml.load(text) == full(text) == {"a": "2024-01-01", "b": "0700", "c": "1:30", "d": "yes"}


def test_unusual_documents_step_aside():
    for text in ("a: !!str 1", "<<: {a: 1}", "base: &b {x: 1}\nc:\n  <<: *b", "--- 1\n--- 2", "? [a]\n: 1",
                 "a: *undefined"):
        assert fastyaml.load(text) is fastyaml.UNSUPPORTED


@settings(max_examples=25, deadline=None)
@given(units())
def test_dumped_units_load_identically(data):
    text = to_yaml(narrate.figures_from_data(data))
    assert fastyaml.load(text) == full(text)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=10))
def test_arbitrary_safe_dumps_load_identically(value):
    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    fast = fastyaml.load(text)
    assert fast is fastyaml.UNSUPPORTED or fast == full(text)


def test_syntax_errors_still_name_the_line(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("unit:\n  name: [a\n  year: 2024\n", encoding="utf-8")
    try:
        narrate.load(path)
    except narrate.FiguresError as exc:
        assert exc.problems[0].line == 3
    else:
        raise AssertionError("no error")


def test_an_undefined_alias_is_reported_with_its_line(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("unit:\n  name: x\n  year: *year\n", encoding="utf-8")
    with pytest.raises(narrate.FiguresError) as caught:
        narrate.load(path)
    assert caught.value.problems[0].line == 3 and "undefined alias" in caught.value.problems[0].message
