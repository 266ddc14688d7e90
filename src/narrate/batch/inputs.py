"""The inputs of a batch: files found in folders and patterns, each unit's identity (its resolved path)
and the hash of its input and settings that lets an unchanged unit be skipped."""

from __future__ import annotations

import glob
import hashlib
import os
from pathlib import Path
from typing import Iterable, Iterator

from .. import __version__

INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".xlsx", ".docx")


def _search(folder: str) -> Iterator[str]:
    """The figures files under ``folder`` (not following symlinked folders), from directory entries alone:
    no system call per file but for symlinks (system calls are what a bureau's 10,000 files cost).  The
    entries are read one at a time (never ten thousand of them held at once); subfolders are searched
    once the folder is closed."""
    subfolders = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        subfolders.append(entry.path)
                    elif (os.path.splitext(entry.name)[1].lower() in INPUT_SUFFIXES
                          and not entry.name.startswith((".", "~$")) and entry.is_file()):
                        yield os.path.normpath(entry.path)
                except OSError:
                    continue
    except OSError:
        return
    for subfolder in subfolders:
        yield from _search(subfolder)


def _real_folder(path: str, cache: dict[str, str]) -> str:
    """The resolved folder of ``path``, one ``realpath`` per folder."""
    folder = os.path.dirname(path) or "."
    if folder not in cache:
        cache[folder] = os.path.realpath(folder)
    return cache[folder]


def identity_of(path: str, cache: dict[str, str] | None = None) -> str:
    """A unit's identity: its input's resolved folder and its file name (what owns output names)."""
    return os.path.join(_real_folder(path, {} if cache is None else cache), os.path.basename(path))


def find_inputs(inputs: Iterable[str], exclude: str | Path | None = None) -> list[str]:
    """Files, folders (searched recursively) and glob patterns → the figures files' paths, sorted, without duplicates.

    Files found by searching a folder or a pattern inside ``exclude`` (the output folder) are left out;
    a file named explicitly is kept (and never written over: see :class:`_Namer`).  Plain strings, not
    :class:`~pathlib.Path` objects: a bureau's ten thousand paths stay small.
    """
    found: set[str] = set()
    named: set[str] = set()
    missing: list[str] = []
    for item in inputs:
        pattern = glob.has_magic(item)
        paths = sorted(glob.glob(item, recursive=True)) if pattern else [item]
        if not paths:
            missing.append(item)
        for path in paths:
            if os.path.isdir(path):
                found.update(_search(path))
            elif os.path.exists(path):
                (found if pattern else named).add(os.path.normpath(path))
            else:
                missing.append(item)
    if missing:
        raise FileNotFoundError("、".join(missing))
    if exclude is not None:
        out, folders = os.path.join(os.path.realpath(exclude), ""), {}  # type: ignore[var-annotated]
        found = {p for p in found if not os.path.join(_real_folder(p, folders), "").startswith(out)}
    return sorted(found | named)


def expand_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[Path]:
    """:func:`find_inputs` as :class:`~pathlib.Path` objects."""
    return [Path(p) for p in find_inputs(inputs, exclude)]


def _settings_tail(formats: tuple[str, ...], profile: str | None, templates: str | None) -> bytes:
    """What besides the input decides a unit's output: narrate's version, formats, profile, template contents."""
    tail = f"\0{__version__}\0{','.join(formats)}\0{profile}".encode()
    if templates:
        for template in sorted(Path(templates).rglob("*")):
            if template.is_file():
                tail += template.name.encode() + b"\0" + template.read_bytes()
    return tail


def input_hash(path: Path, formats: tuple[str, ...], profile: str | None, templates: str | None,
               tail: bytes | None = None) -> str:
    """Content hash of a unit's input and everything else that decides its output (``tail``: precomputed)."""
    from ..limits import check_input_file

    with open(check_input_file(path), "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    digest.update(_settings_tail(formats, profile, templates) if tail is None else tail)
    return digest.hexdigest()
