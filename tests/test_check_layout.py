"""check speaks the chosen layout: a missing-data or needs-a-reason finding only for a field the profile's
templates print for this unit, derived from the render itself (narrate.reads), never from a list.

The main test removes each optional field of every bundled profile's example, one at a time, renders, and
asserts that check names the field exactly when its sentence changed.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

import narrate
from narrate.dump import figures_data
from narrate.rendering import bundled_profiles, load_profile, templates_root

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# The kinds of field check can ask for (missing data); reasons are asked for when a change needs one.
ASKED = re.compile(r"(^|\.)(prior_[a-z_]+|prior_year(\.[a-z_]+)?|budget_initial|budget_full_year|uses"
                   r"|reception_detail\.domestic\.amount|self_evaluated_projects)$|^procurement\."
                   r"|^(admin_operating_cost\.amount|assets\.vehicles|assets\.equipment_over_1m)$")
NOT_ASKED = re.compile(r"^three_public\.[a-z_]+\.uses$")  # “三公” 用途: optional wording check never asks for
REASONS = re.compile(r"(change_reason|budget_reason)$")


def _example(profile: str) -> dict[str, Any]:
    name = load_profile(profile).example
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _optional_paths(data: Any, model: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every field set in ``data`` whose model default is None (left out = not given)."""
    from pydantic import BaseModel

    if not isinstance(data, dict):
        return
    for key, value in data.items():
        info = model.model_fields.get(key) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            continue
        inner = info.annotation
        args = [a for a in getattr(inner, "__args__", ()) if a is not type(None)]
        sub = next((a for a in [inner, *args] if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if isinstance(value, dict) and key == "functions":
            from narrate.model import FunctionNotes

            for code, notes in value.items():
                yield from _optional_paths(notes, FunctionNotes, (*path, key, str(code)))
        elif sub is not None and isinstance(value, dict) and info.default is None and not info.is_required():
            yield (*path, key)  # an optional block (assets.vehicles): given or left out as a whole
        elif sub is not None and isinstance(value, dict):
            yield from _optional_paths(value, sub, (*path, key))
        elif info.default is None and value is not None and not info.is_required():
            yield (*path, key)


PROCUREMENT_PARTS = ("goods", "works", "services")  # given together (narrate.model.ProcurementNotes)


def _without(data: dict, path: tuple[str, ...]) -> dict:
    copied = copy.deepcopy(data)
    node = copied
    for key in path[:-1]:
        node = node[key] if key in node else node[int(key)]
    together = {("procurement", "total"): ("total", *PROCUREMENT_PARTS),
                **{("procurement", part): PROCUREMENT_PARTS for part in PROCUREMENT_PARTS}}.get(path, (path[-1],))
    for key in together:
        node.pop(key, None)
    return copied


def _text(figures: narrate.Figures, profile: str) -> list[str]:
    return narrate.render(narrate.compute(figures), profile=profile).paragraphs()


def _named(figures: narrate.Figures, profile: str) -> set[str]:
    report = narrate.check(figures, profile=profile)
    return {name for f in report.findings if f.rule in ("缺少数据", "需说明原因")
            for name in re.findall(r"[a-z_]+(?:\.[a-z_0-9]+)+", f.message)}


@pytest.mark.parametrize("profile", bundled_profiles())
def test_check_names_exactly_the_fields_whose_sentences_change(profile):
    data = _example(profile)
    figures = narrate.figures_from_data(data)
    before = _text(figures, profile)
    layout = load_profile(profile)
    wrong = []
    for path in _optional_paths(data, narrate.Figures):
        dotted = ".".join(path)
        reason = REASONS.search(dotted)
        if not (ASKED.search(dotted) or reason) or NOT_ASKED.search(dotted):
            continue
        if reason and ("budget" if "budget" in dotted else "change") not in layout.reasons:
            continue
        smaller = narrate.figures_from_data(_without(data, path))
        changed = _text(smaller, profile) != before
        named = dotted in _named(smaller, profile)
        if reason and changed and not named:
            continue  # a reason printed though nothing needs one (持平): check need not ask for it
        if changed != named:
            wrong.append(f"{dotted}: text {'changed' if changed else 'unchanged'}, check {'names' if named else 'silent'}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("profile", bundled_profiles())
@pytest.mark.parametrize("strip", [False, True], ids=["as-is", "without-optional-inputs"])
def test_bundled_examples_ask_nothing_their_text_does_not_print(profile, strip):
    data = _example(profile)
    if strip:  # every input check may ask for left out: what it asks for must each change the text
        for path in sorted(_optional_paths(data, narrate.Figures), key=len, reverse=True):
            if ASKED.search(".".join(path)) and not NOT_ASKED.search(".".join(path)) and not path[-1].startswith("prior"):
                data = _without(data, path)
    figures = narrate.figures_from_data(data)
    before = _text(figures, profile)
    for field in _named(figures, profile):
        # filling the field must change the text: give it a value and render again
        path = field.split(".")
        filled = copy.deepcopy(data)
        node = filled
        for key in path[:-1]:
            node = node.setdefault(key, {})
        if field == "assets.vehicles":
            node["vehicles"] = {"total": 1, "other": 1}
        elif path[0] == "procurement" and path[-1] in PROCUREMENT_PARTS:
            node.update({part: 1 for part in PROCUREMENT_PARTS}, total=node.get("total", 3))
        else:
            node[path[-1]] = "说明文字" if REASONS.search(field) or path[-1] == "uses" else 1
        assert _text(narrate.figures_from_data(filled), profile) != before, field


def _no_three_public(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["tables"]["t09"] = {}
    data.pop("three_public", None)
    return data


@pytest.mark.parametrize("profile", bundled_profiles())
def test_units_without_three_public_are_not_asked_for_reception_details(profile):
    figures = narrate.figures_from_data(_no_three_public(_example(profile)))
    named = _named(figures, profile)
    if profile == "shanghai-2024":  # the layout prints only "无“三公”经费财政拨款支出"
        assert not any(n.startswith("three_public.") for n in named), named


def test_a_reason_the_layout_never_prints_is_not_asked_for():
    data = _example("shanghai-2024")
    data["three_public"].pop("change_reason", None)
    named = _named(narrate.figures_from_data(data), "shanghai-2024")
    assert "three_public.change_reason" not in named  # the Shanghai text has no sentence for it


def test_findings_name_the_section_as_rendered():
    data = _example("default")
    data["admin_operating_cost"].pop("prior_year")
    report = narrate.check(narrate.figures_from_data(data))
    message = next(f.message for f in report.findings if "admin_operating_cost.prior_year" in f.message)
    assert "机关运行经费支出情况说明" in message and "将不写与上年的比较" in message


def test_check_follows_a_user_profile_that_drops_a_sentence(tmp_path):
    import shutil

    folder = tmp_path / "p"
    shutil.copytree(templates_root() / "zh" / "default", folder)
    (folder / "admin_cost.j2").write_text("机关运行经费支出{{ admin_cost.amount|wan }}。\n", encoding="utf-8")
    data = _example("default")
    data["admin_operating_cost"].pop("prior_year")
    data["admin_operating_cost"].pop("change_reason", None)
    named = _named(narrate.figures_from_data(data), str(folder))
    assert "admin_operating_cost.prior_year" not in named
    assert "admin_operating_cost.prior_year" in _named(narrate.figures_from_data(data), "default")
