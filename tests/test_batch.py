"""narrate batch and render_many: many units, one failure never stops the others."""

from __future__ import annotations

import csv
import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

import narrate
from narrate.batch import UnitJob, render_many, render_unit, run_batch
from narrate.cli import main
from narrate.synthetic import synthetic_units


def make_inputs(folder: Path, example: Path, count: int) -> None:
    text = example.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        unit = text.replace("name: 阳城县人力资源和社会保障局", f"name: 测试单位{i:03d}", 1)
        (folder / f"unit{i:03d}.yaml").write_text(unit, encoding="utf-8")


def test_200_units_and_one_broken(tmp_path, example_path):
    inputs = tmp_path / "in"
    make_inputs(inputs, example_path, 200)
    (inputs / "broken.yaml").write_text("unit:\n  name: 坏单位\n  year: 二〇二四\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "失败" in result.output and "unit.year" in result.output
    assert len(list(out.glob("*.docx"))) == 200
    assert (out / "测试单位000-2024.docx").is_file() and (out / "测试单位199-2024.docx").is_file()
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 201 and sum(r["status"] == "ok" for r in rows) == 200
    broken = next(r for r in rows if r["input"].endswith("broken.yaml"))
    assert broken["status"] == "errors" and "unit.year" in broken["message"] and broken["outputs"] == ""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"] == {"ok": 200, "warnings": 0, "errors": 1, "skipped": 0}


def test_outputs_equal_single_renders(tmp_path, example_path):
    inputs = tmp_path / "in"
    make_inputs(inputs, example_path, 2)
    out = tmp_path / "out"
    rows = run_batch([str(inputs)], out, formats=("docx", "md"), workers=2)
    assert [r.status for r in rows] == ["ok", "ok"]
    single = narrate.render(narrate.compute(narrate.load(inputs / "unit001.yaml")))
    assert (out / "测试单位001-2024.docx").read_bytes() == narrate.to_bytes(single, "docx")
    assert (out / "测试单位001-2024.md").read_bytes() == narrate.to_bytes(single, "md")


def test_rerun_skips_unchanged_and_redoes_changed(tmp_path, example_path):
    inputs = tmp_path / "in"
    make_inputs(inputs, example_path, 3)
    out = tmp_path / "out"
    first = run_batch([str(inputs)], out, workers=1)
    assert [r.status for r in first] == ["ok"] * 3
    second = run_batch([str(inputs)], out, workers=1)
    assert [r.status for r in second] == ["skipped"] * 3
    assert [r.outputs for r in second] == [r.outputs for r in first]
    changed = inputs / "unit001.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("测试单位001", "改名单位"), encoding="utf-8")
    third = run_batch([str(inputs)], out, workers=1)
    assert [r.status for r in third] == ["skipped", "ok", "skipped"]
    assert third[1].outputs == ["改名单位-2024.docx"]
    forced = run_batch([str(inputs)], out, workers=1, force=True)
    assert [r.status for r in forced] == ["ok"] * 3


def test_name_collisions_are_resolved_in_input_order(tmp_path, example_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.yaml", "b.yaml", "c.json"):
        figures = narrate.load(example_path)
        if name.endswith(".json"):
            (inputs / name).write_text(figures.model_dump_json(), encoding="utf-8")
        else:
            (inputs / name).write_text(example_path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    rows = run_batch([str(inputs / "*")], out, workers=2)
    assert [r.outputs for r in rows] == [["阳城县人力资源和社会保障局-2024.docx"], ["阳城县人力资源和社会保障局-2024-2.docx"],
                                         ["阳城县人力资源和社会保障局-2024-3.docx"]]
    again = run_batch([str(inputs / "*")], out, workers=1, force=True)
    assert [r.outputs for r in again] == [r.outputs for r in rows]


def test_render_many_in_input_order_and_equal_to_sequential():
    units = [narrate.figures_from_data(d) for d in synthetic_units(12, seed=3)]
    parallel = list(narrate.render_many(units, workers=2, formats=("md",)))  # the top-level name the docs use
    sequential = list(render_many(units, workers=1, formats=("md",)))
    assert [r.unit for r in parallel] == [u.unit.name for u in units]
    assert [r.outputs for r in parallel] == [r.outputs for r in sequential]
    assert all(r.ok for r in parallel)


@pytest.mark.parametrize("profile", [None, "central-style"])
def test_a_unit_is_computed_once_for_its_layout(monkeypatch, profile):
    """A layout without 公开10表 reads its figures from 表外数据: the unit's facts are computed for it
    at once, not computed for ten tables and again for nine; the text is the library's."""
    import narrate.computation as computation

    path = narrate.example_path("central-style.yaml")
    calls = []
    real = computation.compute
    monkeypatch.setattr(computation, "compute", lambda *a, **k: calls.append(a) or real(*a, **k))
    result = render_unit(UnitJob(str(path), ("md",), profile=profile))
    assert result.status in ("ok", "warnings") and len(calls) == 1
    figures = narrate.load(path)
    expected = narrate.render(real(figures), profile=profile or figures.profile)
    assert result.outputs["md"] == narrate.to_bytes(expected, "md")


def test_the_unit_function_is_picklable_and_pure(example_path):
    job = narrate.UnitJob(str(example_path), ("md",))
    assert narrate.render_unit is render_unit and narrate.UnitJob is UnitJob and narrate.UnitResult is not None
    assert pickle.loads(pickle.dumps(render_unit)) is render_unit
    again = pickle.loads(pickle.dumps(job))
    first, second = render_unit(job), render_unit(again)
    assert first.outputs == second.outputs and first.status == "ok"
    result = pickle.loads(pickle.dumps(first))
    assert result.outputs["md"].startswith("# 第三部分".encode())


def test_bad_inputs_to_the_command(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 2 and "nowhere" in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(main, ["batch", str(empty), "-o", str(tmp_path / "out")]).exit_code == 2
    assert runner.invoke(main, ["batch", str(empty), "-o", str(tmp_path / "o"), "--format", "pdf"]).exit_code == 2


@pytest.mark.parametrize("pattern", ["*.yaml", "**/*.yaml"])
def test_globs(tmp_path, example_path, pattern, monkeypatch):
    make_inputs(tmp_path / "in" / "sub", example_path, 2)
    monkeypatch.chdir(tmp_path / "in")
    target = "sub/" + pattern if pattern == "*.yaml" else pattern
    rows = run_batch([target], tmp_path / "out", workers=1)
    assert len(rows) == 2


def test_streamed_summary_has_the_bytes_of_one_json_dump(tmp_path, example_path):
    from dataclasses import asdict

    inputs = tmp_path / "in"
    make_inputs(inputs, example_path, 3)
    (inputs / "broken.yaml").write_text("unit:\n  name: 坏单位\n  year: 二〇二四\n", encoding="utf-8")
    out = tmp_path / "out"
    rows = run_batch([str(inputs)], out, workers=1, formats=("docx", "md"))
    counts = {s: sum(r.status == s for r in rows) for s in ("ok", "warnings", "errors", "skipped")}
    payload = {"narrate": narrate.__version__, "counts": counts, "units": [asdict(r) for r in rows]}
    assert (out / "summary.json").read_bytes() == json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    text = (out / "summary.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffinput,unit,year,status,message,outputs,seconds\r\n") and text.count("\r\n") == 5
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def test_an_empty_run_writes_an_empty_summary(tmp_path, example_path):
    make_inputs(tmp_path / "in", example_path, 1)
    out = tmp_path / "out"
    run_batch([str(tmp_path / "in")], out, workers=1)
    rows = run_batch([str(tmp_path / "in")], out, workers=1)
    assert [r.status for r in rows] == ["skipped"]
    payload = {"narrate": narrate.__version__, "counts": {"ok": 0, "warnings": 0, "errors": 0, "skipped": 1},
               "units": [{"input": rows[0].input, "unit": "测试单位000", "year": 2024, "status": "skipped",
                          "message": rows[0].message, "outputs": ["测试单位000-2024.docx"], "seconds": 0.0}]}
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == payload
    from narrate.batch.folder import _Summary

    empty = tmp_path / "empty"
    empty.mkdir()
    summary = _Summary(empty)
    summary.finish()
    assert (empty / "summary.json").read_bytes() == json.dumps(
        {"narrate": narrate.__version__, "counts": dict.fromkeys(("ok", "warnings", "errors", "skipped"), 0),
         "units": []}, ensure_ascii=False, indent=1).encode("utf-8")


def test_workers_are_recycled_without_changing_results(monkeypatch):
    import narrate.batch.pool as batch

    import concurrent.futures

    pools = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(batch, "RECYCLE_UNITS", 4)
    units = [narrate.figures_from_data(d) for d in synthetic_units(11, seed=5)]
    recycled = list(render_many(units, workers=2, formats=("md",), chunksize=2))
    assert [r.unit for r in recycled] == [u.unit.name for u in units]
    assert len(pools) == 3  # 11 units, 4 a pool
    assert [r.outputs for r in recycled] == [r.outputs for r in render_many(units, workers=1, formats=("md",))]
