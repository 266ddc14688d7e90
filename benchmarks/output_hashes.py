"""Print the sha256 of every output narrate makes from its bundled examples.

Run it before and after a change that should not change any output (a refactor)
and compare the two lists (``diff``); it asserts nothing itself, since outputs may
legitimately change later.  Each example under ``examples/`` is rendered under its
own profile (its ``profile:`` key) by the CLI in a child process:

* ``render`` to .docx, .md, .txt, ``--review`` .docx, ``--reference-doc`` .docx
  (a reference document generated here with python-docx) and ``--into`` .docx;
* ``check --json`` and ``explain --json`` (stdout);
* ``convert`` to .xlsx and that workbook back to .yaml;
* the example's tables laid out as a Word document and as a 决算软件-style export
  workbook (``tests/table_files.py``), each converted to .yaml, and the same
  for the year before used as ``--prior``;

plus ``template-xlsx``.  Workbooks are not byte-reproducible (openpyxl writes
the current time into ``docProps/core.xml`` and the zip entries), so they are
hashed as their parts' names and contents without ``docProps/core.xml``.

    .venv/bin/python benchmarks/output_hashes.py > before.txt
    … change …
    .venv/bin/python benchmarks/output_hashes.py > after.txt && diff before.txt after.txt
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parts_sha(data: bytes) -> str:
    """sha256 over a zip package's part names and contents, docProps/core.xml left out."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name != "docProps/core.xml":
                digest.update(name.encode() + b"\0" + archive.read(name) + b"\0")
    return digest.hexdigest()


def narrate(*args: str) -> bytes:
    """Run ``python -m narrate ARGS``; its stdout (exit status 0 or 1 accepted)."""
    done = subprocess.run([sys.executable, "-m", "narrate", *args], capture_output=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"narrate {' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return done.stdout


def reference_doc(path: Path) -> None:
    import docx
    from docx.shared import Mm, Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "宋体"
    d.styles["Normal"].font.size = Pt(12)
    d.sections[0].left_margin = Mm(25.4)
    d.sections[0].header.paragraphs[0].text = "内部资料"
    d.add_paragraph("参考文档正文")
    d.save(str(path))


def into_doc(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("第二部分 部门决算表")
    d.add_paragraph("{{情况说明}}")
    d.add_paragraph("{{名词解释}}")
    d.save(str(path))


def main() -> None:
    from table_files import docx_from_sheets, export_workbook

    import narrate as lib
    from narrate.writers.workbook import workbook_sheets

    lines: list[str] = []

    def record(name: str, data: bytes, package: bool = False) -> None:
        if package:
            lines.append(f"{parts_sha(data)}  {name} (parts without docProps/core.xml)")
        else:
            lines.append(f"{sha(data)}  {name}")

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        reference_doc(tmp / "reference.docx")
        into_doc(tmp / "into.docx")
        narrate("template-xlsx", "-o", str(tmp / "template.xlsx"))
        record("template-xlsx", (tmp / "template.xlsx").read_bytes(), package=True)
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            name, src = example.stem, str(example)
            runs = {
                "docx": (), "md": (), "txt": (), "review.docx": ("--review",),
                "reference.docx": ("--reference-doc", str(tmp / "reference.docx")),
                "into.docx": ("--into", str(tmp / "into.docx")),
            }
            for suffix, extra in runs.items():
                out = tmp / f"{name}.{suffix}"
                narrate("render", src, "-o", str(out), *extra)
                record(f"{name} render {suffix}", out.read_bytes())
            record(f"{name} check --json", narrate("check", src, "--json"))
            record(f"{name} explain --json", narrate("explain", src, "--json"))
            xlsx, back = tmp / f"{name}.xlsx", tmp / f"{name}.back.yaml"
            narrate("convert", src, "-o", str(xlsx))
            record(f"{name} convert .xlsx", xlsx.read_bytes(), package=True)
            narrate("convert", str(xlsx), "-o", str(back))
            record(f"{name} convert .xlsx → .yaml", back.read_bytes())

            figures = lib.load(example)
            tables_docx, export = tmp / f"{name}.tables.docx", tmp / f"{name}.export.xlsx"
            docx_from_sheets(workbook_sheets(figures), tables_docx)
            export_workbook(figures, export, yuan=True, amounts_as_text=True)
            for label, source in (("tables .docx", tables_docx), ("export .xlsx", export)):
                out = tmp / f"{name}.{label.split()[-1][1:]}.yaml"
                narrate("convert", str(source), "-o", str(out))
                record(f"{name} convert {label} → .yaml", out.read_bytes())
            last_year = figures.model_copy(update={"unit": figures.unit.model_copy(update={"year": figures.unit.year - 1})})
            prior_docx, out = tmp / f"{name}.prior.docx", tmp / f"{name}.prior.md"
            docx_from_sheets(workbook_sheets(last_year), prior_docx)
            narrate("render", src, "-o", str(out), "--prior", str(prior_docx))
            record(f"{name} render --prior .md", out.read_bytes())
    print("\n".join(lines))


if __name__ == "__main__":
    main()
