"""narrate batch --scheduler: the same outputs, order, summary, manifest, skipping and per-unit failures
on a Dask cluster (a LocalCluster of 2 in-process workers: reliable on a busy 2-core machine)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from narrate.batch import UnitJob, render_many, run_batch
from narrate.cli import main

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'narrate[dask]')")

UNIT = "阳城县人力资源和社会保障局"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def _inputs(folder, example):
    folder.mkdir()
    text = example.read_text(encoding="utf-8")
    for i in range(6):
        (folder / f"u{i}.yaml").write_text(text.replace(f"name: {UNIT}", f"name: 单位{i}", 1), encoding="utf-8")
    (folder / "dup.yaml").write_text(text, encoding="utf-8")
    (folder / "dup2.yaml").write_text(text, encoding="utf-8")
    (folder / "broken.yaml").write_text("unit:\n  name: 坏单位\n  year: 二〇二四\n", encoding="utf-8")


def test_dask_batch_equals_the_local_pool(tmp_path, example_path, cluster):
    inputs = tmp_path / "in"
    _inputs(inputs, example_path)
    local = run_batch([str(inputs)], tmp_path / "local", formats=("docx", "md"), workers=2)
    remote = run_batch([str(inputs)], tmp_path / "dask", formats=("docx", "md"), scheduler=cluster.scheduler_address)
    strip = [(r.input, r.unit, r.year, r.status, r.message, r.outputs) for r in local]
    assert [(r.input, r.unit, r.year, r.status, r.message, r.outputs) for r in remote] == strip
    assert [r.status for r in remote].count("errors") == 1 and "unit.year" in remote[0].message
    for row in local:
        for name in row.outputs:
            assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    # skip-unchanged works the same way; a changed unit is redone
    (inputs / "u3.yaml").write_text((inputs / "u3.yaml").read_text(encoding="utf-8").replace("单位3", "改名"),
                                    encoding="utf-8")
    again = run_batch([str(inputs)], tmp_path / "dask", formats=("docx", "md"), scheduler=cluster.scheduler_address)
    assert [r.status for r in again] == ["errors", "skipped", "skipped"] + ["skipped"] * 3 + ["ok"] + ["skipped"] * 2
    assert again[6].outputs == ["改名-2024.docx", "改名-2024.md"]


def test_dask_from_the_command_line(tmp_path, example_path, cluster):
    inputs = tmp_path / "in"
    _inputs(inputs, example_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(out), "--scheduler",
                                       cluster.scheduler_address, "--quiet"])
    assert result.exit_code == 1, result.output  # one unit failed, the others were written
    assert "broken.yaml" in result.output and len(list(out.glob("*.docx"))) == 8
    assert (out / f"{UNIT}-2024-2.docx").is_file()


def test_render_many_on_dask_is_in_input_order_and_a_crash_is_one_row(example_path, cluster, monkeypatch):
    from distributed import Client

    import narrate.batch.unit as batch

    real = batch.render_unit

    def exploding(job):  # type: ignore[no-untyped-def]
        if "boom" in job.label:
            raise MemoryError
        return real(job)

    monkeypatch.setattr(batch, "render_unit", exploding)  # in-process workers see it
    jobs = [UnitJob(str(example_path), ("md",), label=f"{i}{'boom' if i == 2 else ''}") for i in range(5)]
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        results = list(render_many(jobs, scheduler=client))
    assert [r.source for r in results] == [j.label for j in jobs]
    assert [r.status for r in results] == ["ok", "ok", "errors", "ok", "ok"] and "MemoryError" in results[2].message
    assert results[0].outputs == real(UnitJob(str(example_path), ("md",))).outputs


def test_an_unreachable_scheduler_is_a_clean_refusal(tmp_path, example_path):
    inputs = tmp_path / "in"
    _inputs(inputs, example_path)
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # nothing listens on port 9: refused at once
        result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(tmp_path / "out"), "--quiet",
                                           "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "Dask" in result.output and "tcp://127.0.0.1:9" in result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == [".narrate-batch.lock"]  # nothing else written


def test_cold_start_does_not_import_dask():
    code = ("import sys, narrate, narrate.cli, narrate.batch; "
            "assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
