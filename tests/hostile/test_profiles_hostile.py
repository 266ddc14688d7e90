"""Malformed or hostile profile folders (issue 10): each ends in a clear refusal naming the file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from narrate.rendering import templates_root

from .harness import assert_refused, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "yangcheng-2024.yaml"
BUNDLED = templates_root() / "zh" / "default"
PROFILE_YAML = (BUNDLED / "profile.yaml").read_text(encoding="utf-8")


def profile_folder(tmp_path: Path, profile_yaml: str | None = None, terms_yaml: str | None = None) -> Path:
    folder = tmp_path / "P"
    shutil.copytree(BUNDLED, folder)
    if profile_yaml is not None:
        (folder / "profile.yaml").write_text(profile_yaml, encoding="utf-8")
    if terms_yaml is not None:
        (folder / "terms.yaml").write_text(terms_yaml, encoding="utf-8")
    return folder


def render(tmp_path: Path, folder: Path):  # type: ignore[no-untyped-def]
    out = tmp_path / "out.md"
    outcome = run("render", EXAMPLE, "--profile", folder, "-o", out)
    if outcome.returncode == 2:
        assert not out.exists()
    return outcome


def first_title(replacement: str) -> str:
    return PROFILE_YAML.replace("title: 收入支出决算总体情况说明", f"title: {replacement}", 1)


BAD_PROFILES = {
    "empty": ("", ("profile.yaml", "顶层应为键值对")),
    "missing_parts": ("name: x\nnumbering: ['{cn}、']\n", ("profile.yaml", "parts", "缺少必填项")),
    "syntax": ("name: x\nparts: [\n  - title: a\n", ("profile.yaml", "YAML 语法错误")),
    "class_title": (first_title("'{{ unit.__class__ }}'"), ("profile.yaml", "parts[0].sections[0].title")),
    "title_syntax": (first_title("'{{ unit.name '"), ("profile.yaml", "parts[0].sections[0].title")),
    "title_bomb": (first_title("'{{ \"x\" * 2000000000 }}'"), ("profile.yaml", "parts[0].sections[0].title")),
    "numbering_field": (PROFILE_YAML.replace('numbering: ["{cn}、", "（{cn}）", "{n}、"]', 'numbering: ["{x}"]'),
                        ("profile.yaml", "numbering", "{x}")),
    "numbering_attr": (PROFILE_YAML.replace('numbering: ["{cn}、", "（{cn}）", "{n}、"]',
                                            'numbering: ["{cn.__class__}", "{n:>999999999}"]'),
                       ("profile.yaml", "numbering")),
    "cyclic_alias": ("name: x\nparts: &a\n  - title: a\n    sections: *a\n", ("profile.yaml", "别名", "第 2 行")),
    "alias_bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nparts: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                   ("profile.yaml", "别名")),
    "deep": ("parts: " + "[" * 100 + "]" * 100 + "\n", ("profile.yaml", "嵌套")),
    "unknown_key": (PROFILE_YAML.replace("parts:", "partz:"), ("profile.yaml", "partz", "是否想写“parts”")),
    "unknown_section_key": (PROFILE_YAML.replace("template: overview.j2", "templat: overview.j2"),
                            ("profile.yaml", "parts[0].sections[0].templat", "是否想写“template”")),
    "bad_when": (PROFILE_YAML.replace("template: overview.j2", "template: overview.j2\n        when: 1/0"),
                 ("profile.yaml", "parts[0].sections[0].when", "除以零")),
    "bad_level": (PROFILE_YAML.replace("detail_level: 类", "detail_level: 目"), ("profile.yaml", "detail_level")),
    "terms_outside": (PROFILE_YAML.replace("terms: terms.yaml", "terms: ../../../../../../etc/passwd"),
                      ("passwd", "之外")),
}


@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_bad_profile_yaml_is_refused(tmp_path, case):
    text, needles = BAD_PROFILES[case]
    assert_refused(render(tmp_path, profile_folder(tmp_path, profile_yaml=text)), *needles)


BAD_TERMS = {
    "empty": ("", ("terms.yaml", "顶层应为键值对")),
    "no_definition": ("terms:\n  - term: 甲\n", ("terms.yaml", "terms[0].definition", "缺少必填项")),
    "unknown_key": ("terms:\n  - term: 甲\n    definiton: 乙\n", ("terms.yaml", "definiton", "是否想写“definition”")),
    "bad_when": ("terms:\n  - term: 甲\n    definition: 乙\n    when: unit.__class__.__mro__[1]\n",
                 ("terms.yaml", "terms[0].when")),
    "alias": ("t: &t {term: 甲, definition: 乙}\nterms: [*t]\n", ("terms.yaml", "别名")),
}


@pytest.mark.parametrize("case", sorted(BAD_TERMS))
def test_bad_terms_yaml_is_refused(tmp_path, case):
    text, needles = BAD_TERMS[case]
    assert_refused(render(tmp_path, profile_folder(tmp_path, terms_yaml=text)), *needles)


def test_profile_yaml_symlinked_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(PROFILE_YAML, encoding="utf-8")
    folder = profile_folder(tmp_path)
    (folder / "profile.yaml").unlink()
    (folder / "profile.yaml").symlink_to(outside)
    assert_refused(render(tmp_path, folder), "profile.yaml", "之外")


def test_copied_profile_renders_as_the_bundled_one(tmp_path):
    folder = profile_folder(tmp_path)
    out = tmp_path / "copy.md"
    assert run("render", EXAMPLE, "--profile", folder, "-o", out).returncode == 0
    assert run("render", EXAMPLE, "-o", tmp_path / "bundled.md").returncode == 0
    assert out.read_bytes() == (tmp_path / "bundled.md").read_bytes()


@pytest.mark.parametrize("attack", ["{{ unit.__class__.__mro__ }}", "{{ unit['__class__'] }}",
                                    "{{ ([unit]|map(attribute='__class__')|first).__mro__ }}"])
def test_profile_templates_stay_sandboxed_while_check_records_their_reads(tmp_path, attack):
    """``render`` checks first, rendering the profile in the recording environment (it notes the fields
    the templates read): a profile from a folder is sandboxed there too, attribute and item reads alike
    (a filter's ``attribute=`` reads items)."""
    folder = profile_folder(tmp_path)
    (folder / "overview.j2").write_text(attack + "\n", encoding="utf-8")
    assert_refused(render(tmp_path, folder), "overview.j2")
