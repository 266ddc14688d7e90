#!/usr/bin/env python
"""Benchmark one unit end to end in narrate against a docxtpl template filling the same text.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_docxtpl.py            # full run (50 repeats)
    .venv/bin/python benchmarks/bench_docxtpl.py --quick    # smoke run, a few repeats
    .venv/bin/python benchmarks/bench_docxtpl.py --json     # results as JSON on stdout
    .venv/bin/python benchmarks/bench_docxtpl.py --check    # exit 1 if a target is missed

What is measured (see benchmarks/README.md), in one process, after warm-up,
on the bundled example (``examples/yangcheng-2024.yaml``):

* narrate as ``narrate render`` runs it: ``load`` → ``compute`` →
  ``check(figures, facts=…)`` (the table rules run before rendering) →
  ``render`` → ``to_bytes(document, "docx")``, with the split per stage.
* docxtpl, the usual way to fill a Word template from Python: a ``.docx``
  template built in this run from narrate's own output — one paragraph per
  block (headings in Heading 1–4), every printed number replaced by a Jinja
  placeholder ``{{ n17 }}`` — and a context mapping each placeholder to the
  printed text; timed is ``DocxTemplate(path)`` + ``render(context)`` +
  ``save(BytesIO)``.  Before timing, docxtpl's output is checked to hold
  exactly narrate's paragraphs, so both sides produce the same text.
* For information: the same docxtpl run with narrate's own styled ``.docx``
  as the template (its trimmed styles, page setup and footer), so the
  template's size is seen not to decide the comparison.

narrate and docxtpl run interleaved, alternating which goes first.
Targets: narrate's median ≤ 1/3 of docxtpl's and ≤ 15 ms.  A miss is
printed; only ``--check`` turns it into exit status 1.
"""

from __future__ import annotations

import gc
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # there already when run as a script; also when loaded by file path
    sys.path.insert(0, _HERE)

from common import (  # noqa: E402
    BenchParser, finish, machine, machine_lines, medians_ms, ms_row, public, stage_rows, summary_ms, table, target,
    verdict,
)

# Targets (see README.md).
TARGET_RATIO = 1.0 / 3.0
TARGET_MEDIAN_MS = 15.0

STAGES = ("load", "compute", "check", "render", "docx")
TPL_STAGES = ("open", "render", "save")
JINJA_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")
PACKAGES = ("narrate", "docxtpl", "python-docx", "Jinja2", "lxml")  # versions in the report header


# ----------------------------------------------------------------- narrate
class Narrate:
    """The CLI's path through narrate's public API: load, compute, check, render, docx."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.load, self.compute, self.check, self.render, self.to_bytes = (
            public(n) for n in ("load", "compute", "check", "render", "to_bytes"))

    def run(self) -> tuple[float, dict[str, float], bytes, Any]:
        """One run; returns (total seconds, per-stage seconds, docx bytes, document)."""
        clock = time.perf_counter
        t0 = clock()
        figures = self.load(self.path)
        t1 = clock()
        facts = self.compute(figures)
        t2 = clock()
        report = self.check(figures, facts=facts)
        t3 = clock()
        if not report.ok:  # the CLI stops here; the example must pass
            raise RuntimeError(f"{self.path}: narrate.check found errors: {report.errors[0].message}")
        document = self.render(facts)
        t4 = clock()
        data = self.to_bytes(document, "docx")
        t5 = clock()
        split = {"load": t1 - t0, "compute": t2 - t1, "check": t3 - t2, "render": t4 - t3, "docx": t5 - t4}
        return t5 - t0, split, data, document


# ----------------------------------------------------------------- docxtpl
def templated_blocks(document: Any) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """Each block's text with its printed numbers as ``{{ nK }}`` placeholders, and the context.

    Returns ([(kind, template text, level)], {placeholder: printed text}).  Literal
    text that Jinja would read as a tag (none in the example) goes through a
    placeholder too, so the template renders to exactly narrate's text.
    """
    context: dict[str, str] = {}

    def slot(value: str) -> str:
        name = f"n{len(context)}"
        context[name] = value
        return "{{ " + name + " }}"

    def literal(text: str) -> str:
        risky = any(m in text for m in JINJA_MARKERS) or text.startswith("}") or text.endswith("{")
        return slot(text) if risky else text

    blocks = []
    for block in document.blocks:
        parts, pos = [], 0
        for number in block.numbers:
            if block.text[number.start:number.end] != number.text or number.start < pos:
                raise RuntimeError(f"number span {number.start}:{number.end} does not match block {block.text!r}")
            parts.append(literal(block.text[pos:number.start]))
            parts.append(slot(number.text))
            pos = number.end
        parts.append(literal(block.text[pos:]))
        blocks.append((block.kind, "".join(parts), block.level))
    return blocks, context


def write_plain_template(blocks: Sequence[tuple[str, str, int]], path: Path) -> None:
    """python-docx's default template, one paragraph per block, headings in Heading 1–4."""
    import docx

    doc = docx.Document()
    for kind, text, level in blocks:
        if kind == "heading":
            doc.add_heading(text, min(level + 1, 9))
        else:
            doc.add_paragraph(text)
    doc.save(str(path))


def write_styled_template(blocks: Sequence[tuple[str, str, int]], narrate_docx: bytes, path: Path) -> None:
    """narrate's own .docx (styles, page, footer) with each paragraph's text replaced by its template text."""
    import docx

    doc = docx.Document(io.BytesIO(narrate_docx))
    paragraphs = doc.paragraphs
    if len(paragraphs) != len(blocks):
        raise RuntimeError(f"narrate's .docx has {len(paragraphs)} paragraphs for {len(blocks)} blocks")
    for paragraph, (_, text, _) in zip(paragraphs, blocks):
        runs = paragraph.runs
        if not runs:
            raise RuntimeError(f"paragraph without a run in narrate's .docx: {paragraph.text!r}")
        for extra in runs[1:]:
            extra._r.getparent().remove(extra._r)
        runs[0].text = text
    doc.save(str(path))


class Docxtpl:
    """``DocxTemplate(path)`` + ``render(context)`` + ``save(BytesIO)``, the way docxtpl is used."""

    def __init__(self, path: Path, context: dict[str, str]) -> None:
        from docxtpl import DocxTemplate

        self.template_class = DocxTemplate
        self.path = str(path)
        self.context = context
        # docxtpl writes values into the XML as they are unless autoescape is on;
        # only turn it on if some value needs it (the example's numbers do not).
        self.autoescape = any(c in v for v in context.values() for c in "<>&")

    def run(self) -> tuple[float, dict[str, float], bytes]:
        clock = time.perf_counter
        t0 = clock()
        tpl = self.template_class(self.path)
        tpl.init_docx()  # what render() does first anyway; separated only to time the open
        t1 = clock()
        tpl.render(self.context, autoescape=self.autoescape)
        t2 = clock()
        buffer = io.BytesIO()
        tpl.save(buffer)
        data = buffer.getvalue()
        t3 = clock()
        return t3 - t0, {"open": t1 - t0, "render": t2 - t1, "save": t3 - t2}, data


def docx_paragraphs(data: bytes) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def bench(repeat: int, warmup: int) -> dict[str, Any]:
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        raise SystemExit("bench_docxtpl.py needs docxtpl: .venv/bin/pip install 'docxtpl>=0.16'") from None

    path = public("example_path")()
    nar = Narrate(path)
    _, _, narrate_docx, document = nar.run()  # first run: imports, template compilation, caches
    blocks, context = templated_blocks(document)
    expected = document.paragraphs()

    with tempfile.TemporaryDirectory(prefix="narrate-bench-docxtpl-") as tmp:
        plain_path = Path(tmp) / "template.docx"
        styled_path = Path(tmp) / "template-narrate-styles.docx"
        write_plain_template(blocks, plain_path)
        write_styled_template(blocks, narrate_docx, styled_path)
        sides = {"docxtpl": Docxtpl(plain_path, context), "docxtpl_styled": Docxtpl(styled_path, context)}

        # Like for like: docxtpl's output must hold exactly narrate's paragraphs.
        verified = {}
        for name, side in sides.items():
            got = docx_paragraphs(side.run()[2])
            if got != expected:
                first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
                raise RuntimeError(f"{name}: output differs from narrate's paragraphs at paragraph {first}: "
                                   f"{got[first:first + 1]!r} != {expected[first:first + 1]!r}")
            verified[name] = len(got)
        if docx_paragraphs(narrate_docx) != expected:
            raise RuntimeError("narrate's own .docx does not hold document.paragraphs()")

        template_bytes = {"docxtpl": plain_path.stat().st_size, "docxtpl_styled": styled_path.stat().st_size}
        for _ in range(warmup):
            nar.run()
            for side in sides.values():
                side.run()

        totals: list[float] = []
        stages: dict[str, list[float]] = {s: [] for s in STAGES}
        tpl_totals: dict[str, list[float]] = {name: [] for name in sides}
        tpl_stages: dict[str, dict[str, list[float]]] = {name: {s: [] for s in TPL_STAGES} for name in sides}
        out_bytes: dict[str, int] = {}
        gc.collect()
        order = ["narrate", *sides]
        for i in range(repeat):
            # Interleave, rotating which side goes first, so drift hits all alike.
            shift = i % len(order)
            for which in order[shift:] + order[:shift]:
                if which == "narrate":
                    total, split, data, _ = nar.run()
                    totals.append(total)
                    for name in STAGES:
                        stages[name].append(split[name])
                    out_bytes["narrate"] = len(data)
                else:
                    total, split, data = sides[which].run()
                    tpl_totals[which].append(total)
                    for name in TPL_STAGES:
                        tpl_stages[which][name].append(split[name])
                    out_bytes[which] = len(data)

    narrate_summary: dict[str, Any] = summary_ms(totals)
    narrate_summary["stages_median_ms"] = medians_ms(stages)
    narrate_summary["docx_bytes"] = out_bytes["narrate"]
    results: dict[str, Any] = {
        "example": str(path),
        "blocks": len(blocks),
        "placeholders": len(context),
        "verified_paragraphs": verified["docxtpl"],
        "narrate": narrate_summary,
    }
    for name in sides:
        side_summary: dict[str, Any] = summary_ms(tpl_totals[name])
        side_summary["stages_median_ms"] = medians_ms(tpl_stages[name])
        side_summary["docx_bytes"] = out_bytes[name]
        side_summary["template_bytes"] = template_bytes[name]
        results[name] = side_summary
    results["ratio"] = narrate_summary["median_ms"] / results["docxtpl"]["median_ms"]
    results["ratio_styled"] = narrate_summary["median_ms"] / results["docxtpl_styled"]["median_ms"]
    return results


# ----------------------------------------------------------------- report
def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ratio = results["in_process"]["ratio"]
    median = results["in_process"]["narrate"]["median_ms"]
    return {
        "ratio_narrate_docxtpl": target(TARGET_RATIO, ratio),
        "narrate_median_ms": target(TARGET_MEDIAN_MS, median),
    }


def print_report(results: dict[str, Any]) -> None:
    m, s, ip = results["machine"], results["settings"], results["in_process"]
    nar = ip["narrate"]
    print(f"narrate vs docxtpl — {m['date']}")
    for line in machine_lines(m):
        print(line)
    print(f"example {ip['example']} ({ip['blocks']} blocks, {ip['placeholders']} placeholders); "
          f"repeat {s['repeat']}, warm-up {s['warmup']}{', quick' if s['quick'] else ''}")
    print(f"verified: docxtpl's output holds narrate's {ip['verified_paragraphs']} paragraphs exactly")
    print()
    rows = [
        ("in process (after warm-up)", "median ms", "p90 ms", "min ms"),
        ms_row("narrate load→compute→check→render→docx", nar),
        *stage_rows(nar["stages_median_ms"]),
    ]
    labels = {"docxtpl": "docxtpl, python-docx default template", "docxtpl_styled": "docxtpl, narrate's .docx as template"}
    for name, label in labels.items():
        rows.append(ms_row(label, ip[name]))
        rows.extend(stage_rows(ip[name]["stages_median_ms"]))
    rows.append(("ratio narrate / docxtpl", f"{ip['ratio']:.2f}x", "", ""))
    rows.append(("ratio narrate / docxtpl (narrate's template)", f"{ip['ratio_styled']:.2f}x", "", ""))
    print(table(rows))
    print(f"(.docx bytes: narrate {nar['docx_bytes']}, docxtpl {ip['docxtpl']['docx_bytes']}, "
          f"docxtpl on narrate's template {ip['docxtpl_styled']['docx_bytes']}; templates "
          f"{ip['docxtpl']['template_bytes']} and {ip['docxtpl_styled']['template_bytes']} bytes)")
    print()
    t = results["targets"]
    rows = [("target", "limit", "measured", "result"),
            ("narrate / docxtpl, medians", "≤ 0.33x", f"{t['ratio_narrate_docxtpl']['measured']:.2f}x",
             verdict(t["ratio_narrate_docxtpl"])),
            ("narrate end-to-end median", f"≤ {TARGET_MEDIAN_MS:.0f} ms", f"{t['narrate_median_ms']['measured']:.2f} ms",
             verdict(t["narrate_median_ms"]))]
    print(table(rows))


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_repeat_options()
    parser.add_output_options("smoke run with few repeats")
    args = parser.parse_args(argv)
    repeat, warmup = args.repeat, args.warmup
    if repeat < 1 or warmup < 0:
        parser.error("--repeat must be ≥ 1, --warmup ≥ 0")

    results: dict[str, Any] = {
        "machine": machine(bytecode_flag=False, versions=PACKAGES),
        "settings": {"repeat": repeat, "warmup": warmup, "quick": args.quick},
        "in_process": bench(repeat, warmup),
    }
    return finish(results, targets, print_report, args)


if __name__ == "__main__":
    sys.exit(main())
