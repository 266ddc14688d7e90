"""Hostile user templates (issue 10): symlinks out of the folder, hangs, crashes, huge output.

Every case runs ``narrate render --templates T`` in a child process under the 1 GiB address-space
limit and must end in a clean refusal naming the template.  Budgets are made tiny through the
environment (NARRATE_TEMPLATE_OPERATIONS / _OUTPUT_MB), so no outcome depends on timing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from narrate.rendering import templates_root

from .harness import assert_refused, run, run_python

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "yangcheng-2024.yaml"
BUNDLED = templates_root() / "zh" / "default"


def render(tmp_path: Path, templates: Path, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    out = tmp_path / "out.md"
    outcome = run("render", EXAMPLE, "--templates", templates, "-o", out, *extra, env=env)
    if outcome.returncode == 2:
        assert not out.exists(), "nothing is written when a template is refused"
    return outcome


def user_templates(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "T"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ symlinks
def test_symlinked_template_outside_the_folder_is_refused(tmp_path):
    folder = user_templates(tmp_path)
    (folder / "capital.j2").symlink_to("/etc/passwd")
    outcome = render(tmp_path, folder)
    assert_refused(outcome, "capital.j2", "之外")
    assert "root:" not in outcome.stderr


def test_included_symlink_is_refused(tmp_path):
    folder = user_templates(tmp_path, **{"capital.j2": '{% include "secret.j2" %}'})
    (folder / "secret.j2").symlink_to("/etc/passwd")
    assert_refused(render(tmp_path, folder), "secret.j2", "之外")


def test_symlinked_subfolder_is_refused(tmp_path):
    folder = user_templates(tmp_path, **{"capital.j2": '{% include "etc/passwd" %}'})
    (folder / "etc").symlink_to("/etc")
    assert_refused(render(tmp_path, folder), "etc/passwd", "之外")


def test_symlinked_template_in_a_profile_folder_is_refused(tmp_path):
    profile = tmp_path / "P"
    shutil.copytree(BUNDLED, profile)
    (profile / "capital.j2").unlink()
    (profile / "capital.j2").symlink_to("/etc/passwd")
    out = tmp_path / "out.md"
    assert_refused(run("render", EXAMPLE, "--profile", profile, "-o", out), "capital.j2", "之外")
    assert not out.exists()


def test_symlink_inside_the_folder_is_fine(tmp_path):
    folder = user_templates(tmp_path, **{"real.j2": "本单位无国有资本经营预算财政拨款支出。\n"})
    (folder / "capital.j2").symlink_to(folder / "real.j2")
    outcome = render(tmp_path, folder)
    assert outcome.returncode == 0, outcome.stderr


# ------------------------------------------------------------------ folder given
@pytest.mark.parametrize("kind", ["missing", "file"])
def test_templates_folder_must_exist(tmp_path, kind):
    target = tmp_path / "no-such-dir"
    if kind == "file":
        target.write_text("x", encoding="utf-8")
    assert_refused(render(tmp_path, target), str(target))


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_library_refuses_missing_templates_folder(tmp_path, kind):
    target = tmp_path / "no-such-dir"
    if kind == "file":
        target.write_text("x", encoding="utf-8")
    code = (
        "import narrate, sys\n"
        f"facts = narrate.compute(narrate.load({str(EXAMPLE)!r}))\n"
        "try:\n"
        f"    narrate.render(facts, templates={str(target)!r})\n"
        "except narrate.TemplateError as exc:\n"
        "    print(exc, file=sys.stderr); sys.exit(2)\n"
    )
    assert_refused(run_python(code), str(target))


# ------------------------------------------------------------------ crashes and hangs
CRASHES = {
    "zero": "{{ 1/0 }}",
    "recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "huge_range": "{% for i in range(10**9) %}{% endfor %}",
    "huge_repeat": '{{ "x" * 2000000000 }}',
    "huge_list": "{{ ([1] * 10**9)|length }}",
    "huge_power": "{{ 10 ** 1000000000 }}",
    "squaring": "{% set ns = namespace(n=10) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "format_filter": '{{ "%1000000000d"|format(1) }}',
    "percent_star": '{{ "%*d" % (10**9, 1) }}',
    "str_format": '{{ "{:>1000000000}".format(1) }}',
    "ljust": '{{ "x".ljust(10**9) }}',
    "center": '{{ "x"|center(10**9) }}',
    "recursive_loop": "{% for i in [1, 2] recursive %}{{ loop([1, 2]) }}{% endfor %}",
    "replace_squaring": '{% set ns = namespace(s="x" * 1000) %}{% for i in range(9) %}'
                        '{% set ns.s = ns.s.replace("", ns.s) %}{% endfor %}',
    "slice": "{{ [1]|slice(10**8)|list|length }}",
    "batch": "{{ [1]|batch(10**8, 0)|list|length }}",
    "indent": '{{ "a\\nb"|indent(10**9) }}',
    "lipsum": "{{ lipsum(10**9) }}",
    "doubling": '{% set ns = namespace(s="xx") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
}


@pytest.mark.parametrize("case", sorted(CRASHES))
def test_crashing_template_is_refused_with_name_and_line(tmp_path, case):
    folder = user_templates(tmp_path, **{"capital.j2": "本单位\n" + CRASHES[case]})
    assert_refused(render(tmp_path, folder), "capital.j2", "第 2 行")


BUDGET = {"NARRATE_TEMPLATE_OPERATIONS": "20000"}
HANGS = {
    "nested_range": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested_strings": '{% for a in "x" * 100000 %}{% for b in "x" * 100000 %}{% endfor %}{% endfor %}',
}


@pytest.mark.parametrize("case", sorted(HANGS))
def test_endless_template_runs_out_of_budget(tmp_path, case):
    folder = user_templates(tmp_path, **{"capital.j2": HANGS[case]})
    assert_refused(render(tmp_path, folder, env=BUDGET), "capital.j2", "NARRATE_TEMPLATE_OPERATIONS")


def test_output_size_is_limited(tmp_path):
    folder = user_templates(tmp_path, **{"capital.j2": '{% for i in range(3000) %}{{ "x" * 1000 }}{% endfor %}'})
    assert_refused(render(tmp_path, folder, env={"NARRATE_TEMPLATE_OUTPUT_MB": "1"}),
                   "capital.j2", "NARRATE_TEMPLATE_OUTPUT_MB")


def test_bundled_template_included_by_a_user_template_runs_sandboxed(tmp_path):
    """With a user folder, narrate's own templates (included or not) run in the same budgeted sandbox."""
    folder = user_templates(tmp_path, **{"capital.j2": '{% include "income.j2" %}'})
    outcome = render(tmp_path, folder, env={"NARRATE_TEMPLATE_OPERATIONS": "3"})
    assert_refused(outcome, "zh/default/", "NARRATE_TEMPLATE_OPERATIONS")


def test_user_template_cannot_reach_python_through_bundled_macros(tmp_path):
    folder = user_templates(tmp_path, **{
        "capital.j2": '{% import "macros.j2" as m %}{{ m.__class__.__init__.__globals__ }}'})
    assert_refused(render(tmp_path, folder), "capital.j2")


def test_valid_user_template_with_loops_and_concat_is_unchanged(tmp_path):
    folder = user_templates(tmp_path, **{"capital.j2": (
        '{% set ns = namespace(s="") %}{% for c in "甲乙丙" %}{% set ns.s = ns.s ~ c %}{% endfor %}'
        '{{ ns.s }}{% for i in range(3) %}{{ i * 2 }}{{ "%02d" % i }}{% endfor %}{{ 2 ** 10 }}'
        '{{ "第20240000000号%s" % "甲" }}{{ "{:>3}".format(7) }}\n')})
    outcome = render(tmp_path, folder)
    assert outcome.returncode == 0, outcome.stderr
    assert "甲乙丙0002014021024第20240000000号甲  7" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_errors_in_bundled_templates_are_template_errors():
    """A bundled (unsandboxed) template failing on odd data still ends in a TemplateError with its name."""
    import narrate
    from narrate.rendering import _environment, _run_template

    env = _environment(BUNDLED.resolve(), None)

    class Boom:
        def __getattr__(self, name):
            raise ZeroDivisionError("boom")

        __getitem__ = __getattr__

    from jinja2 import meta

    source = env.loader.get_source(env, "capital.j2")[0]
    names = meta.find_undeclared_variables(env.parse(source))
    with pytest.raises(narrate.TemplateError, match="capital.j2"):
        _run_template(env, "capital.j2", {name: Boom() for name in names})



def test_parent_folder_names_are_refused(tmp_path):
    (tmp_path / "secret.j2").write_text("机密", encoding="utf-8")
    folder = user_templates(tmp_path, **{"capital.j2": '本单位\n{% include "../secret.j2" %}'})
    outcome = render(tmp_path, folder)
    assert_refused(outcome, "capital.j2", "第 2 行", "找不到模板")
    assert "机密" not in outcome.stderr


def test_deadline_ends_a_render_without_depending_on_timing():
    """The deadline is checked as operations are spent: one already past ends the render."""
    import time

    from narrate.rendering import _environment
    from narrate.sandbox import TemplateLimit, budget

    env = _environment(BUNDLED.resolve(), BUNDLED.resolve())
    template = env.from_string("{% for i in range(5000) %}{{ i }}{% endfor %}")
    with budget() as current:
        current.deadline = time.monotonic() - 1
        with pytest.raises(TemplateLimit, match="NARRATE_TEMPLATE_SECONDS"):
            template.render()
