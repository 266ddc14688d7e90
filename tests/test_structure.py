"""The code's layout: public names at their documented paths, python-docx loaded only when Word is written,
no import cycles (see docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def test_public_names_keep_their_import_paths():
    from narrate.loaders.docx_tables import load_docx, read_blocks  # noqa: F401
    from narrate.loaders.grid import Block, CellProblem, figures_from_blocks, outside_fields, parse_amount  # noqa: F401
    from narrate.loaders.prior import merge_prior, prior_from_document  # noqa: F401
    from narrate.writers.docx import WordFileError, docx_bytes, open_word, paragraph_elements, save_stable  # noqa: F401
    from narrate.writers.workbook import workbook_bytes, workbook_sheets, write_workbook  # noqa: F401


def test_importing_the_word_writer_does_not_import_python_docx():
    code = "import sys, narrate.writers.docx; print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _module_imports(anywhere: bool = False) -> dict[str, set[str]]:
    """Module → the narrate modules it imports at module level (or ``anywhere``: in functions too)."""
    paths = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): p
             for p in (SRC / "narrate").rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (ast.walk(tree) if anywhere else tree.body):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                base = base[:len(base) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in paths else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        edges[name] = {t for t in found if t in paths and t != name}
    return edges


def test_no_import_cycles():
    edges = _module_imports()
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            assert state.get(target) != 1, "import cycle: " + " → ".join(path + [target])
            if target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])


def test_no_two_modules_import_each_other():
    """Not even inside functions (a lazy import): a package and its own modules excepted."""
    edges = _module_imports(anywhere=True)
    mutual = sorted(f"{a} ⇄ {b}" for a in edges for b in edges[a]
                    if a < b and a in edges[b] and not b.startswith(a + ".") and not a.startswith(b + "."))
    assert mutual == []
