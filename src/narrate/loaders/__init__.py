"""Loaders: one module per input format, each returning validated :class:`~narrate.model.Figures`."""

from __future__ import annotations

from pathlib import Path

from ..model import Figures
from .text import FORMATS, figures_from_data, load_text

__all__ = ["load", "figures_from_data", "FORMATS"]


def load(path: str | Path) -> Figures:
    """Read and validate a figures file (.yaml/.yml, .json, .toml).

    Raises :class:`narrate.FiguresError` naming the file, field and line for any problem.
    """
    return load_text(Path(path))
