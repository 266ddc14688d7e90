#!/usr/bin/env python
"""Benchmark ``narrate batch`` on a whole bureau of synthetic units, beside a per-unit shell loop.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_batch.py                # 1000 units (and 250), about 1 min
    .venv/bin/python benchmarks/bench_batch.py --units 10000  # 10,000 units (and 2,500): flat memory, ≤ 20 s
    .venv/bin/python benchmarks/bench_batch.py --quick        # smoke run: 60 units (and 15)
    .venv/bin/python benchmarks/bench_batch.py --units 400    # another bureau size
    .venv/bin/python benchmarks/bench_batch.py --json       # results as JSON on stdout
    .venv/bin/python benchmarks/bench_batch.py --check      # exit 1 if a target is missed

What is measured (see benchmarks/README.md):

* ``narrate batch DIR -o OUT -j 2 --quiet`` as a subprocess (the console script
  beside ``sys.executable``) on N synthetic units (``narrate.synthetic``,
  written as JSON files, every 4th as YAML — by ``narrate.dump`` if narrate
  has it, else PyYAML) and, in the same command, on the
  first N/4 of them: wall time, and memory of the whole process tree (the
  narrate process and its pool workers) sampled from ``/proc`` every ~20 ms —
  peak of the summed RSS, peak of the largest single process, peak summed PSS
  (shared pages counted once), the largest process's high-water mark (VmHWM)
  — and ``ru_maxrss`` from ``wait4`` (an upper bound: a spawned child starts
  with its spawner's memory, so it is never below this benchmark's own RSS at
  spawn, which is printed beside it).  Each run is
  verified: summary.json counts every unit ok (with or without warnings) and
  OUT holds N ``.docx`` files.
* Baseline: what a bureau's script would do without ``narrate batch`` — one
  ``narrate render FILE -o OUT.docx`` per unit in a shell-style loop — timed on
  a sample of the same units (half before, half after the batch runs) and
  extrapolated to N.
* Cold start: ``narrate --help`` and ``narrate render examples/yangcheng-2024.yaml
  -o x.docx``, each interleaved with ``python -c pass`` as the floor.

Targets: 1000 units with ``-j 2`` ≤ 20 s, and 10,000 units ≤ 20 s; peak summed
RSS ≤ 250 MiB and not growing with the count (peak at N ≤ 1.05 × peak at N/4);
``narrate --help`` ≤ 0.3 s; ``narrate render`` of the example ≤ 1 s.  A size not
run is estimated from the larger run's throughput (units per second), marked
"extrapolated": never negative, and meaningless only as far as the sizes differ.  A miss is printed; only
``--check`` turns it into exit status 1.  Linux only (``/proc``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # there already when run as a script; also when loaded by file path
    sys.path.insert(0, _HERE)

from common import (  # noqa: E402
    PYTHON_PASS, ROOT, BenchParser, cold_start_rows, cold_starts, finish, machine, machine_lines, narrate_command,
    table, target, time_process, verdict,
)

# Targets (see README.md).
TARGET_UNITS = 1000
TARGET_BATCH_S = 20.0
TARGET_LARGE_UNITS = 10000
TARGET_LARGE_S = 20.0
TARGET_PEAK_RSS_MIB = 250.0
TARGET_GROWTH = 1.05
TARGET_HELP_COLD_S = 0.3
TARGET_RENDER_COLD_S = 1.0

WORKERS = 2
SAMPLE_INTERVAL_S = 0.02
RESCAN_EVERY = 5  # ticks between looking for new processes in the tree (and reading PSS)
EXAMPLE = ROOT / "examples" / "yangcheng-2024.yaml"


# ----------------------------------------------------------------- units
def _yaml_dumper() -> type:
    """PyYAML's SafeDumper writing Decimal amounts as plain numbers (narrate reads them back as Decimal)."""
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class DecimalDumper(base):  # type: ignore[misc, valid-type]
        pass

    DecimalDumper.add_representer(
        Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))
    return DecimalDumper


def yaml_writer() -> tuple[str, Any]:
    """How YAML units are written: ``narrate.dump.to_yaml`` if narrate has it, else PyYAML.

    Returns (name, function from plain unit data to YAML text).
    """
    try:
        from narrate.dump import to_yaml
        from narrate.loaders import figures_from_data
    except ImportError:
        import yaml

        dumper = _yaml_dumper()
        return "PyYAML", lambda data: yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
    return "narrate.dump.to_yaml", lambda data: to_yaml(figures_from_data(data))


def unit_files(count: int, yaml_every: int, seed: int) -> tuple[list[tuple[str, str]], str]:
    """(file name, text) of ``count`` synthetic units — every ``yaml_every``-th as YAML (0: none),
    the rest JSON — and the name of the YAML writer used."""
    from narrate.synthetic import synthetic_units

    writer_name, to_yaml = yaml_writer() if yaml_every else ("", None)
    files = []
    for i, data in enumerate(synthetic_units(count, seed=seed)):
        if to_yaml is not None and i % yaml_every == yaml_every - 1:
            files.append((f"unit{i + 1:05d}.yaml", to_yaml(data)))
        else:
            # Decimal → "123.45": narrate accepts amounts written as strings.
            files.append((f"unit{i + 1:05d}.json", json.dumps(data, ensure_ascii=False, default=str)))
    return files, writer_name


def write_files(folder: Path, files: Iterable[tuple[str, str]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ----------------------------------------------------------------- memory
def _read_kib(path: str, key: bytes) -> int | None:
    """The ``key:  N kB`` line of a /proc file, in KiB (None if the process is gone)."""
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return 0


def _status_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a process in KiB, from /proc/<pid>/status (None if it is gone)."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                    break  # VmRSS follows VmHWM
    except (OSError, ValueError, IndexError):
        return None
    return rss, hwm


def _children_file_works() -> bool:
    return os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def process_tree(root: int, children_file: bool) -> list[int]:
    """``root`` and all its descendants, from /proc (…/task/*/children, else a scan of /proc/*/stat)."""
    if children_file:
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for task in tasks:
                try:
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        todo.extend(int(c) for c in handle.read().split())
                except OSError:
                    pass
        return found
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, ()))
    return found


class TreeSampler(threading.Thread):
    """Samples the RSS of a process tree every ``interval`` seconds; keeps the peaks (KiB)."""

    def __init__(self, root: int, interval: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.stop_event = threading.Event()
        self.children_file = _children_file_works()
        self.peak_total_kib = 0
        self.peak_single_kib = 0
        self.peak_pss_total_kib = 0
        self.peak_hwm_single_kib = 0
        self.peak_processes = 0
        self.samples = 0

    def run(self) -> None:
        pids: list[int] = []
        tick = 0
        while not self.stop_event.is_set():
            if tick % RESCAN_EVERY == 0:
                pids = process_tree(self.root, self.children_file)
                pss = [_read_kib(f"/proc/{pid}/smaps_rollup", b"Pss:") for pid in pids]
                self.peak_pss_total_kib = max(self.peak_pss_total_kib, sum(p for p in pss if p))
            status = [st for st in map(_status_kib, pids) if st and st[0]]
            rss = [r for r, _ in status]
            if rss:
                self.peak_hwm_single_kib = max(self.peak_hwm_single_kib, max(h for _, h in status))
                self.samples += 1
                self.peak_total_kib = max(self.peak_total_kib, sum(rss))
                self.peak_single_kib = max(self.peak_single_kib, max(rss))
                self.peak_processes = max(self.peak_processes, len(rss))
            tick += 1
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def run_batch(argv: list[str], cwd: Path, log: Path) -> dict[str, Any]:
    """Run ``argv`` (narrate batch …), sampling its process tree; wall time and memory."""
    spawner = (_status_kib(os.getpid()) or (0, 0))[0]
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        # wait4 gives the rusage of this child (and the pool workers it waited for).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")
    mib = 1024.0
    return {
        "wall_s": elapsed,
        "peak_rss_total_mib": sampler.peak_total_kib / mib,
        "peak_rss_single_mib": sampler.peak_single_kib / mib,
        "peak_pss_total_mib": sampler.peak_pss_total_kib / mib,
        # The kernel's high-water marks (VmHWM) of the processes, as last seen: the largest single process.
        "hwm_single_mib": sampler.peak_hwm_single_kib / mib,
        # KiB on Linux: the largest process of the tree — but a spawned child starts out
        # with its spawner's mm, so this is never below the benchmark's own RSS at spawn.
        "ru_maxrss_mib": usage.ru_maxrss / mib,
        "spawner_rss_mib": spawner / mib,
        "processes": sampler.peak_processes,
        "samples": sampler.samples,
    }


def verify_batch(outdir: Path, count: int) -> dict[str, Any]:
    """summary.json counts every unit ok (warnings allowed) and OUT holds one .docx per unit."""
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    counts = summary["counts"]
    docx_files = sum(1 for p in outdir.iterdir() if p.suffix == ".docx")
    unit_seconds = sum(u.get("seconds") or 0.0 for u in summary["units"])
    problems = []
    if counts.get("errors", 0) or counts.get("skipped", 0):
        failed = [u for u in summary["units"] if u["status"] == "errors"][:3]
        problems.append(f"counts {counts}; first failures: {failed}")
    if counts.get("ok", 0) + counts.get("warnings", 0) != count:
        problems.append(f"{counts.get('ok', 0)} ok + {counts.get('warnings', 0)} with warnings ≠ {count} units")
    if docx_files != count:
        problems.append(f"{docx_files} .docx files for {count} units")
    if problems:
        raise RuntimeError(f"narrate batch into {outdir}: " + "; ".join(problems))
    return {"counts": counts, "docx_files": docx_files, "unit_seconds_sum": unit_seconds}


# ----------------------------------------------------------------- where the files go
SHM = Path("/dev/shm")
SCRATCH_MIN_FREE = 2 << 30  # the 10,000-unit run needs ~0.3 GB of inputs and outputs


def default_scratch() -> Path | None:
    """tmpfs (/dev/shm) when there is one with room, else None (the system's temporary folder).

    The benchmark measures narrate's work; a disk adds its own cost per file created, which on
    this VM's ext4 varies tenfold with what was deleted nearby in the last seconds.  The file
    baseline (:func:`file_baseline`) measures that cost beside the batch, on the same folder."""
    try:
        if SHM.is_dir() and os.access(SHM, os.W_OK):
            stat = os.statvfs(SHM)
            if stat.f_bavail * stat.f_frsize >= SCRATCH_MIN_FREE:
                return SHM
    except OSError:
        pass
    return None


def filesystem_of(path: Path) -> str:
    """The type of the filesystem ``path`` is on ("tmpfs", "ext4"…), from /proc/mounts."""
    best, kind = "", "?"
    real = os.path.realpath(path)
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return kind
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and (real == fields[1] or real.startswith(fields[1].rstrip("/") + "/")) \
                and len(fields[1]) >= len(best):  # the later of two mounts on one point hides the earlier
            best, kind = fields[1], fields[2]
    return kind


def file_baseline(folder: Path, count: int, size: int) -> float:
    """Seconds to write ``count`` files of ``size`` bytes into ``folder`` the way batch writes each
    output (narrate.writers.write_atomic: a temporary file renamed into place), in one process."""
    from narrate.writers import write_atomic

    folder.mkdir()
    data = b"\0" * size
    start = time.perf_counter()
    for i in range(count):
        write_atomic(folder / f"unit{i:05d}.docx", data)
    return time.perf_counter() - start


# ----------------------------------------------------------------- the bench
def bench_bureau(units: int, sample: int, yaml_every: int, seed: int, tmp: Path) -> dict[str, Any]:
    narrate = narrate_command()
    small = max(1, units // 4)
    t0 = time.perf_counter()
    files, yaml_written_by = unit_files(units, yaml_every, seed)
    full_paths = write_files(tmp / f"units-{units}", files)
    write_files(tmp / f"units-{small}", files[:small])
    generate_s = time.perf_counter() - t0

    # Warm-up (unrecorded): the console script and the imports in the page cache.
    warm = write_files(tmp / "warm", files[:4])
    run_batch(narrate + ["batch", str(warm[0].parent), "-o", str(tmp / "out-warm"), "-j", str(WORKERS), "--quiet"],
              tmp, tmp / "warm.log")

    # Baseline sample: evenly spread over the N units; half before, half after the batch runs.
    picks = sorted({round(i * (units - 1) / max(1, sample - 1)) for i in range(sample)}) if sample > 1 else [0]
    loop_out = tmp / "out-loop"
    loop_out.mkdir()
    loop_times: list[float] = []

    def loop(indices: Sequence[int]) -> None:
        for i in indices:
            path = full_paths[i]
            loop_times.append(time_process(narrate + ["render", str(path), "-o", str(loop_out / f"{path.stem}.docx")],
                                           tmp))

    half = len(picks) // 2
    loop(picks[:half])
    runs = {}
    for count in (small, units):
        outdir = tmp / f"out-{count}"
        argv = narrate + ["batch", str(tmp / f"units-{count}"), "-o", str(outdir), "-j", str(WORKERS), "--quiet"]
        run = run_batch(argv, tmp, tmp / f"batch-{count}.log")
        run.update(verify_batch(outdir, count))
        run["units"] = count
        run["units_per_s"] = count / run["wall_s"]
        runs[str(count)] = run
        # The outputs stay until the end: deleting thousands of files right before the next run makes
        # ext4 skip their recently freed inodes on every file that run creates (~0.7 ms a file here).
    loop(picks[half:])
    outputs = [p.stat().st_size for p in (tmp / f"out-{units}").iterdir() if p.suffix == ".docx"]
    files_s = file_baseline(tmp / "files-baseline", units, round(statistics.fmean(outputs)))
    loop_docx = sum(1 for p in loop_out.iterdir() if p.suffix == ".docx")
    if loop_docx != len(loop_times):
        raise RuntimeError(f"shell-style loop wrote {loop_docx} .docx files for {len(loop_times)} units")

    per_unit = statistics.fmean(loop_times)
    big = runs[str(units)]
    at_target, extrapolated = at_size(runs, TARGET_UNITS)
    at_large, large_extrapolated = at_size(runs, TARGET_LARGE_UNITS)
    return {
        "command": narrate,
        "workers": WORKERS,
        "units": units,
        "units_small": small,
        "yaml_files": sum(1 for name, _ in files if name.endswith(".yaml")),
        "yaml_writer": yaml_written_by,
        "json_files": sum(1 for name, _ in files if name.endswith(".json")),
        "input_bytes": sum(len(text.encode("utf-8")) for _, text in files),
        "generate_s": generate_s,
        "batch": runs,
        "growth": big["peak_rss_total_mib"] / runs[str(small)]["peak_rss_total_mib"],
        "batch_s_at_1000": at_target,
        "batch_s_at_1000_extrapolated": extrapolated,
        "batch_s_at_10000": at_large,
        "batch_s_at_10000_extrapolated": large_extrapolated,
        "loop": {
            "sample": len(loop_times),
            "mean_s": per_unit,
            "median_s": statistics.median(loop_times),
            "min_s": min(loop_times),
            "extrapolated_s": per_unit * units,
            "extrapolated_small_s": per_unit * small,
        },
        "speedup": per_unit * units / big["wall_s"],
        "files": {"count": units, "bytes_each": round(statistics.fmean(outputs)), "wall_s": files_s},
    }


def at_size(runs: dict[str, dict[str, Any]], count: int) -> tuple[float, bool]:
    """Wall time of a batch of ``count`` units: measured if one of the runs had that size, else
    ``count`` ÷ the larger run's units per second (extrapolated).  Never negative: a line through
    two noisy sizes can slope downwards when the smaller run happened to be the slower one."""
    if str(count) in runs:
        return runs[str(count)]["wall_s"], False
    larger = max(runs.values(), key=lambda run: run["units"])
    return count / larger["units_per_s"], True


def bench_cold(help_runs: int, render_runs: int, tmp: Path) -> dict[str, Any]:
    narrate = narrate_command()
    out = str(tmp / "x.docx")
    series = {
        "help": (narrate + ["--help"], help_runs),
        "render": (narrate + ["render", str(EXAMPLE), "-o", out], render_runs),
    }
    for argv, _ in series.values():  # one unrecorded run of each: files in the page cache
        time_process(argv, tmp)
    time_process(PYTHON_PASS, tmp)
    return {"command": narrate, "example": str(EXAMPLE), **cold_starts(series, tmp)}


# ----------------------------------------------------------------- report
def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    bureau, cold = results["bureau"], results["cold_start"]
    peak = max(run["peak_rss_total_mib"] for run in bureau["batch"].values())
    return {
        "batch_1000_units_s": {**target(TARGET_BATCH_S, bureau["batch_s_at_1000"]),
                               "extrapolated": bureau["batch_s_at_1000_extrapolated"]},
        "batch_10000_units_s": {**target(TARGET_LARGE_S, bureau["batch_s_at_10000"]),
                                "extrapolated": bureau["batch_s_at_10000_extrapolated"]},
        "peak_rss_total_mib": target(TARGET_PEAK_RSS_MIB, peak),
        "peak_rss_growth": target(TARGET_GROWTH, bureau["growth"]),
        "help_cold_start_s": target(TARGET_HELP_COLD_S, cold["help_median_s"]),
        "render_cold_start_s": target(TARGET_RENDER_COLD_S, cold["render_median_s"]),
    }


def print_report(results: dict[str, Any]) -> None:
    m, s, b, cs = results["machine"], results["settings"], results["bureau"], results["cold_start"]
    print(f"narrate batch benchmark — {m['date']}")
    for line in machine_lines(m):
        print(line)
    print(f"{b['units']} synthetic units (seed {s['seed']}): {b['json_files']} JSON + {b['yaml_files']} YAML files"
          f"{' (YAML by ' + b['yaml_writer'] + ')' if b['yaml_files'] else ''}, "
          f"{b['input_bytes'] / 1e6:.1f} MB, generated and written in {b['generate_s']:.1f} s; "
          f"{s['units_small']} = the first quarter; -j {b['workers']}{', quick' if s['quick'] else ''}")
    print(f"(command: {' '.join(b['command'])})")
    print()
    small, big = b["batch"][str(b["units_small"])], b["batch"][str(b["units"])]
    rows = [("narrate batch -j 2 --quiet", f"{b['units_small']} units", f"{b['units']} units"),
            ("wall time s", f"{small['wall_s']:.2f}", f"{big['wall_s']:.2f}"),
            ("units per second", f"{small['units_per_s']:.1f}", f"{big['units_per_s']:.1f}"),
            ("sum of per-unit seconds (workers)", f"{small['unit_seconds_sum']:.2f}", f"{big['unit_seconds_sum']:.2f}"),
            ("peak RSS, whole tree MiB", f"{small['peak_rss_total_mib']:.1f}", f"{big['peak_rss_total_mib']:.1f}"),
            ("peak RSS, largest process MiB", f"{small['peak_rss_single_mib']:.1f}", f"{big['peak_rss_single_mib']:.1f}"),
            ("peak PSS, whole tree MiB", f"{small['peak_pss_total_mib']:.1f}", f"{big['peak_pss_total_mib']:.1f}"),
            ("high-water mark (VmHWM), largest process MiB", f"{small['hwm_single_mib']:.1f}",
             f"{big['hwm_single_mib']:.1f}"),
            ("ru_maxrss (wait4) MiB", f"{small['ru_maxrss_mib']:.1f}", f"{big['ru_maxrss_mib']:.1f}"),
            ("  this benchmark's RSS when it spawned MiB", f"{small['spawner_rss_mib']:.1f}",
             f"{big['spawner_rss_mib']:.1f}"),
            ("processes in the tree", str(small["processes"]), str(big["processes"])),
            ("memory samples", str(small["samples"]), str(big["samples"])),
            ("verified: ok / with warnings / .docx", f"{small['counts']['ok']} / {small['counts']['warnings']} / "
             f"{small['docx_files']}", f"{big['counts']['ok']} / {big['counts']['warnings']} / {big['docx_files']}")]
    print(table(rows))
    print(f"peak RSS growth {b['units_small']} → {b['units']} units: {b['growth']:.3f}x; "
          f"ru_maxrss of all children of this benchmark: {results['ru_maxrss_children_mib']:.1f} MiB")
    fb = b["files"]
    print(f"scratch folder: {s['scratch']['folder']} ({s['scratch']['filesystem']}); baseline there: writing "
          f"{fb['count']} files of {fb['bytes_each']:,} bytes as batch writes its outputs took {fb['wall_s']:.2f} s "
          f"({fb['wall_s'] / fb['count'] * 1000:.3f} ms a file, one process)")
    print()
    lp = b["loop"]
    rows = [("baseline: narrate render per unit, in a loop", "s"),
            (f"per unit, mean of {lp['sample']} (median {lp['median_s']:.3f}, min {lp['min_s']:.3f})", f"{lp['mean_s']:.3f}"),
            (f"extrapolated to {b['units_small']} units", f"{lp['extrapolated_small_s']:.1f}"),
            (f"extrapolated to {b['units']} units", f"{lp['extrapolated_s']:.1f}"),
            (f"narrate batch, {b['units']} units (measured)", f"{big['wall_s']:.1f}"),
            ("speed-up batch vs loop", f"{b['speedup']:.1f}x")]
    print(table(rows))
    print()
    print(table(cold_start_rows(cs, {"help": "narrate --help", "render": "narrate render <example> -o x.docx"})))
    print()
    t = results["targets"]
    batch_note = " (extrapolated)" if t["batch_1000_units_s"]["extrapolated"] else ""
    large_note = " (extrapolated)" if t["batch_10000_units_s"]["extrapolated"] else ""
    rows = [("target", "limit", "measured", "result"),
            (f"1000 units, -j 2{batch_note}", f"≤ {TARGET_BATCH_S:.0f} s", f"{t['batch_1000_units_s']['measured']:.1f} s"),
            (f"10000 units, -j 2{large_note}", f"≤ {TARGET_LARGE_S:.0f} s",
             f"{t['batch_10000_units_s']['measured']:.1f} s"),
            ("peak RSS, whole tree", f"≤ {TARGET_PEAK_RSS_MIB:.0f} MiB", f"{t['peak_rss_total_mib']['measured']:.1f} MiB"),
            (f"peak RSS at {b['units']} / at {b['units_small']}", f"≤ {TARGET_GROWTH:.2f}x",
             f"{t['peak_rss_growth']['measured']:.3f}x"),
            ("narrate --help cold start", f"≤ {TARGET_HELP_COLD_S:.1f} s", f"{t['help_cold_start_s']['measured']:.3f} s"),
            ("narrate render cold start", f"≤ {TARGET_RENDER_COLD_S:.1f} s",
             f"{t['render_cold_start_s']['measured']:.3f} s")]
    keys = list(t)
    rows = [rows[0]] + [r + (verdict(t[k]),) for r, k in zip(rows[1:], keys)]
    print(table(rows))


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_count("--units", 1000, 60, "units in the bureau")
    parser.add_count("--sample", 20, 5, "units rendered one `narrate render` each for the baseline")
    parser.add_argument("--yaml-every", type=int, default=4,
                        help="every N-th unit is written as YAML, the rest as JSON (default 4; 0 = all JSON)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic units (default 0)")
    parser.add_count("--help-runs", 10, 3, "cold starts of `narrate --help`")
    parser.add_count("--render-runs", 5, 2, "cold starts of `narrate render` on the example")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder for the units and outputs (default: /dev/shm when it is tmpfs with room, "
                             "else the system's temporary folder); e.g. --scratch /tmp to include a disk")
    parser.add_output_options("smoke run: 60 units, small samples")
    args = parser.parse_args(argv)
    units, sample, help_runs, render_runs = args.units, args.sample, args.help_runs, args.render_runs
    if units < 4 or min(sample, help_runs, render_runs) < 1 or args.yaml_every < 0:
        parser.error("--units must be ≥ 4, --sample, --help-runs and --render-runs ≥ 1, --yaml-every ≥ 0")
    if not Path("/proc/self/status").exists():
        parser.error("bench_batch.py reads memory from /proc (Linux)")
    sample = min(sample, units)

    results: dict[str, Any] = {"machine": machine(narrate_version=True)}
    results["settings"] = {"units": units, "units_small": max(1, units // 4), "sample": sample, "workers": WORKERS,
                           "yaml_every": args.yaml_every, "seed": args.seed, "help_runs": help_runs,
                           "render_runs": render_runs, "sample_interval_s": SAMPLE_INTERVAL_S, "quick": args.quick}
    scratch = args.scratch or default_scratch()
    if scratch is not None and not scratch.is_dir():
        parser.error(f"--scratch {scratch}: not a folder")
    with tempfile.TemporaryDirectory(prefix="narrate-bench-batch-", dir=scratch) as tmp:
        results["settings"]["scratch"] = {"folder": str(Path(tmp).parent), "filesystem": filesystem_of(Path(tmp))}
        results["bureau"] = bench_bureau(units, sample, args.yaml_every, args.seed, Path(tmp))
        results["cold_start"] = bench_cold(help_runs, render_runs, Path(tmp))
    results["ru_maxrss_children_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return finish(results, targets, print_report, args)


if __name__ == "__main__":
    sys.exit(main())
