"""Convenience calls over the pipeline stages."""

from __future__ import annotations

from pathlib import Path

from .computation import compute
from .document import Document
from .loaders import load
from .rendering import render
from .writers import write

PACKAGE_EXAMPLES = Path(__file__).parent / "examples"
SOURCE_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = "yangcheng-2024.yaml"


def example_path(name: str = EXAMPLE) -> Path:
    """Path of a bundled example figures file (the reference unit by default).

    Raises TypeError when ``name`` is not a str, TemplateError for an unknown profile name.
    """
    if not isinstance(name, str):
        raise TypeError(f"narrate.example_path 的参数应为文件名或版式名（str），实际为 {type(name).__name__}")
    if name.endswith(".yaml") is False and "/" not in name:  # a profile name: its bundled example
        from .rendering import load_profile

        name = load_profile(name).example or EXAMPLE
    folder = PACKAGE_EXAMPLES if (PACKAGE_EXAMPLES / name).is_file() else SOURCE_EXAMPLES
    return folder / name


def render_document(figures_path: str | Path, profile: str | None = None,
                    templates: str | Path | None = None) -> Document:
    """Load, compute and render a figures file (raises as :func:`render_file`, except OSError on writing)."""
    return render(compute(load(figures_path)), profile=profile, templates=templates)


def render_file(figures_path: str | Path, output: str | Path, profile: str | None = None,
                templates: str | Path | None = None) -> Document:
    """Render a figures file straight to ``output`` (.docx, .md or .txt); returns the Document.

    Raises FiguresError (the figures), TemplateError (profile, templates), ValueError (unknown output
    format), TypeError (a path that is not str/PathLike) and OSError (the output cannot be written).
    """
    from .paths import refuse_same_file

    refuse_same_file(output, {"数据文件": figures_path})
    document = render_document(figures_path, profile=profile, templates=templates)
    write(document, output)
    return document
