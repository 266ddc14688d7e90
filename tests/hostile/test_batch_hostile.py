"""narrate batch against a hostile world: names that collide across runs, a second run on the same folder,
units that blow up, names too long for the file system, symlinks and inputs inside the output folder.

No test depends on timing: the concurrent run is made deterministic by holding the folder's lock here.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from narrate.batch import LOCK, MAX_NAME_BYTES, output_stem, run_batch

from .harness import HANG_GUARD_S, NARRATE, assert_refused, run, snapshot

UNIT = "阳城县人力资源和社会保障局"


def _write_unit(path: Path, example: Path, name: str = UNIT) -> Path:
    text = example.read_text(encoding="utf-8").replace(f"name: {UNIT}", f"name: {name}", 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------ 5a: names are owned across runs
def test_a_subset_rerun_never_writes_into_another_units_file(tmp_path, example_path):
    inputs = tmp_path / "in"
    a, b, c = (_write_unit(inputs / name, example_path) for name in ("a.yaml", "b.yaml", "c.yaml"))
    out = tmp_path / "out"
    first = run_batch([str(inputs)], out, workers=1)
    assert [r.outputs for r in first] == [[f"{UNIT}-2024.docx"], [f"{UNIT}-2024-2.docx"], [f"{UNIT}-2024-3.docx"]]
    before = snapshot(out)
    # b alone, forced: alone it would be the first to want the plain name, which belongs to a
    again = run_batch([str(b)], out, workers=1, force=True)
    assert again[0].outputs == [f"{UNIT}-2024-2.docx"]
    after = snapshot(out)
    assert after[f"{UNIT}-2024.docx"] == before[f"{UNIT}-2024.docx"]  # a's file untouched
    # c changed (renamed away) and a new unit d wants the plain name: neither takes a's or c's old name
    _write_unit(c, example_path, "改名单位")
    d = _write_unit(tmp_path / "more" / "d.yaml", example_path)
    rows = run_batch([str(c), str(d)], out, workers=1)
    assert rows[0].outputs == ["改名单位-2024.docx"]
    assert rows[1].outputs == [f"{UNIT}-2024-4.docx"]
    # the whole set again: a and b unchanged and skipped under their own names
    full = run_batch([str(inputs)], out, workers=1)
    assert [r.status for r in full] == ["skipped", "skipped", "skipped"]
    assert [r.outputs for r in full] == [[f"{UNIT}-2024.docx"], [f"{UNIT}-2024-2.docx"], ["改名单位-2024.docx"]]
    manifest = json.loads((out / ".narrate-batch.json").read_text(encoding="utf-8"))
    owners = {stem: identity for identity, entry in manifest["units"].items() for stem in entry["names"]}
    assert owners[f"{UNIT}-2024"] == str(a.resolve()) and owners[f"{UNIT}-2024-3"] == str(c.resolve())


# ------------------------------------------------------------ 5b: one run per output folder at a time
def test_a_second_run_on_a_locked_folder_is_refused(tmp_path, example_path):
    inputs = tmp_path / "in"
    _write_unit(inputs / "a.yaml", example_path)
    out = tmp_path / "out"
    out.mkdir()
    lock = FileLock(str(out / LOCK))
    with lock:  # another narrate batch is running on this folder
        before = snapshot(out)
        outcome = run("batch", inputs, "-o", out, "--quiet")
        assert_refused(outcome, str(out), "另一个 narrate batch", "--wait")
        assert snapshot(out) == before
    assert run("batch", inputs, "-o", out, "--quiet").returncode == 0  # once it is free, the run goes ahead


def test_a_second_run_with_wait_waits_for_the_lock(tmp_path, example_path):
    inputs = tmp_path / "in"
    _write_unit(inputs / "a.yaml", example_path)
    out = tmp_path / "out"
    out.mkdir()
    lock = FileLock(str(out / LOCK))
    lock.acquire()
    try:
        child = subprocess.Popen([*NARRATE, "batch", str(inputs), "-o", str(out), "--quiet", "--wait", "600"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        line = child.stderr.readline().decode("utf-8")  # blocks until the child says it is waiting
        assert "等待" in line and str(out) in line, line + child.stderr.read().decode("utf-8", "replace")
        assert not (out / "summary.csv").exists()  # it waits: nothing written while the lock is held
    finally:
        lock.release()
    stdout, stderr = child.communicate(timeout=HANG_GUARD_S)
    assert child.returncode == 0, stderr.decode("utf-8", "replace")
    assert (out / f"{UNIT}-2024.docx").is_file() and _summary(out)[0]["status"] == "ok"


def test_wait_that_runs_out_is_a_clean_refusal(tmp_path, example_path):
    inputs = tmp_path / "in"
    _write_unit(inputs / "a.yaml", example_path)
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / LOCK)):
        outcome = run("batch", inputs, "-o", out, "--quiet", "--wait", "0.05")
    assert_refused(outcome, str(out), "另一个 narrate batch")
    assert not (out / "summary.csv").exists()


# ------------------------------------------------------------ 9: one bad unit never kills a batch
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("exc", [MemoryError, RecursionError, KeyError])
def test_a_unit_that_raises_is_that_units_row(tmp_path, example_path, monkeypatch, workers, exc):
    import narrate.batch.unit as batch

    real = batch.render_unit

    def exploding(job):  # type: ignore[no-untyped-def]
        if job.label.endswith("b.yaml"):
            raise exc("boom")
        return real(job)

    monkeypatch.setattr(batch, "render_unit", exploding)  # forked pool workers inherit it
    inputs = tmp_path / "in"
    for i, name in enumerate(("a.yaml", "b.yaml", "c.yaml")):
        _write_unit(inputs / name, example_path, f"单位{i}")
    out = tmp_path / "out"
    rows = run_batch([str(inputs)], out, workers=workers)
    assert [r.status for r in rows] == ["ok", "errors", "ok"]
    assert exc.__name__ in rows[1].message and rows[1].outputs == []
    assert [r["status"] for r in _summary(out)] == ["ok", "errors", "ok"]
    assert (out / "单位0-2024.docx").is_file() and (out / "单位2-2024.docx").is_file()


def test_a_unit_whose_output_cannot_be_written_is_that_units_row(tmp_path, example_path):
    inputs = tmp_path / "in"
    for i, name in enumerate(("a.yaml", "b.yaml")):
        _write_unit(inputs / name, example_path, f"单位{i}")
    out = tmp_path / "out"
    out.mkdir()
    (out / "单位0-2024.docx.tmp-dir").mkdir()
    os.symlink("/nonexistent-dir/x", out / "summary.json")  # a dangling link: replaced, never followed
    rows = run_batch([str(inputs)], out, workers=1)
    assert [r.status for r in rows] == ["ok", "ok"]
    assert not os.path.islink(out / "summary.json")


def test_a_90_character_chinese_unit_name(tmp_path, example_path):
    name = "北京市海淀区" + "人力资源和社会保障局所属事业单位" * 5 + "第二十三综合服务中心附属机构之一二三四五六七八九十甲乙丙"
    name = name[:90]
    assert len(name) == 90
    inputs = tmp_path / "in"
    _write_unit(inputs / "long.yaml", example_path, name)
    _write_unit(inputs / "short.yaml", example_path, "短名单位")
    out = tmp_path / "out"
    outcome = run("batch", inputs, "-o", out, "--quiet", "--format", "docx,md", "-j", "1")
    assert outcome.returncode == 0 and not outcome.traceback, outcome.stderr
    rows = _summary(out)
    assert [r["status"] for r in rows] == ["ok", "ok"]
    names = rows[0]["outputs"].split(";")
    assert len(names) == 2 and all(len(n.encode("utf-8")) <= MAX_NAME_BYTES for n in names)
    assert all((out / n).is_file() for n in names)
    stem = names[0].rsplit(".", 1)[0]
    assert stem.endswith("-2024") and name.startswith(stem[: -len("-2024")])  # cut at a character boundary
    assert output_stem(name, 2024, "x") == stem  # deterministic
    forced = run("batch", inputs, "-o", out, "--quiet", "--format", "docx,md", "--force")
    assert forced.returncode == 0 and _summary(out)[0]["outputs"] == rows[0]["outputs"]


def test_stems_are_capped_by_bytes_at_a_character_boundary():
    for char in ("a", "长", "😀", "é"):
        stem = output_stem(char * 400, 2024, "x")
        assert len(f"{stem}-99999.docx".encode("utf-8")) <= MAX_NAME_BYTES
        assert stem.endswith("-2024") and set(stem[:-5]) == {char}
        assert output_stem(char * 400, 2024, "x") == stem


# ------------------------------------------------------------ 9: never over an input, never through a link
def test_a_symlink_in_the_output_folder_is_never_followed(tmp_path, example_path):
    inputs = tmp_path / "in"
    _write_unit(inputs / "a.yaml", example_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.docx").write_bytes(b"precious")
    (victim / "keep.csv").write_bytes(b"precious csv")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim / "keep.docx", out / f"{UNIT}-2024.docx")
    os.symlink(victim / "keep.csv", out / "summary.csv")
    os.symlink(victim / "keep.csv", out / LOCK)
    before = snapshot(victim)
    outcome = run("batch", inputs, "-o", out, "--quiet")
    assert snapshot(victim) == before
    if outcome.returncode == 2:  # the lock file is a link: refused cleanly
        assert_refused(outcome, LOCK)
        return
    assert outcome.returncode == 0, outcome.stderr
    assert os.readlink(out / f"{UNIT}-2024.docx") == str(victim / "keep.docx")  # not ours: left alone
    assert _summary(out)[0]["outputs"] == f"{UNIT}-2024-2.docx"


def test_an_input_inside_the_output_folder_is_never_written_over(tmp_path, example_figures):
    from table_files import docx_from_sheets

    from narrate.writers.workbook import workbook_sheets

    out = tmp_path / "out"
    out.mkdir()
    source = out / f"{UNIT}-2024.docx"  # a Word input named exactly as its output would be
    docx_from_sheets(workbook_sheets(example_figures), source)
    before = snapshot(out)
    outcome = run("batch", source, "-o", out, "--quiet")
    assert outcome.returncode == 0, outcome.stderr
    assert snapshot(out)[source.name] == before[source.name]
    assert _summary(out)[0]["outputs"] == f"{UNIT}-2024-2.docx"


def test_a_file_narrate_did_not_write_is_not_replaced(tmp_path, example_path):
    inputs = tmp_path / "in"
    _write_unit(inputs / "a.yaml", example_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{UNIT}-2024.docx").write_bytes(b"the user's own edited copy")
    outcome = run("batch", inputs, "-o", out, "--quiet")
    assert outcome.returncode == 0, outcome.stderr
    assert (out / f"{UNIT}-2024.docx").read_bytes() == b"the user's own edited copy"
    assert _summary(out)[0]["outputs"] == f"{UNIT}-2024-2.docx"


def test_a_worker_that_dies_is_that_units_row(tmp_path, example_path, monkeypatch):
    import narrate.batch.unit as batch

    real = batch.render_unit

    def dying(job):  # type: ignore[no-untyped-def]
        if job.label.endswith("c.yaml"):
            os._exit(9)  # as if killed for memory or crashed in native code
        return real(job)

    monkeypatch.setattr(batch, "render_unit", dying)  # forked pool workers inherit it
    inputs = tmp_path / "in"
    for i, name in enumerate(("a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml", "f.yaml")):
        _write_unit(inputs / name, example_path, f"单位{i}")
    out = tmp_path / "out"
    rows = run_batch([str(inputs)], out, workers=2)
    assert [r.status for r in rows] == ["ok", "ok", "errors", "ok", "ok", "ok"]
    assert "进程意外退出" in rows[2].message
    assert [r["status"] for r in _summary(out)] == ["ok", "ok", "errors", "ok", "ok", "ok"]
