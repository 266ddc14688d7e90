"""Hostile outputs and inputs: narrate never overwrites its input, never replaces a special file,
names the user's file (not a hidden temporary) when a write fails, leaves no temporary behind on
SIGTERM, and refuses inputs that are not bounded regular files.

Every refusal is checked with :func:`harness.snapshot`: nothing partial written, nothing replaced.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from table_files import docx_from_sheets

import narrate
from narrate.writers.workbook import workbook_sheets

from .harness import HANG_GUARD_S, assert_refused, run, run_python, snapshot

SAME = "同一个文件"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, example_path, example_figures, example_document) -> Path:
    """unit.yaml, unit.xlsx, unit.docx (a disclosure), ref.docx (a Word file usable as --reference-doc)."""
    from narrate.writers.workbook import write_workbook

    where = tmp_path_factory.mktemp("prepared")
    shutil.copy(example_path, where / "unit.yaml")
    write_workbook(where / "unit.xlsx", example_figures)
    docx_from_sheets(workbook_sheets(example_figures), where / "unit.docx")
    narrate.write(example_document, where / "ref.docx")
    return where


@pytest.fixture
def folder(tmp_path, prepared) -> Path:
    """A fresh copy of the prepared files, for one test to attack."""
    for path in prepared.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def refused(folder: Path, *args: str, needles: tuple[str, ...] = (), env: dict | None = None) -> None:
    before = snapshot(folder)
    outcome = run(*args, cwd=folder, env=env)
    assert_refused(outcome, *needles)
    assert ".tmp" not in outcome.stderr
    assert snapshot(folder) == before


# --- 1. the output is one of the inputs -------------------------------------------------------

@pytest.mark.parametrize("args, other", [
    (["render", "unit.docx", "-o", "unit.docx"], "unit.docx"),
    (["render", "unit.yaml", "--reference-doc", "ref.docx", "-o", "ref.docx"], "ref.docx"),
    (["render", "unit.yaml", "--prior", "unit.docx", "-o", "unit.docx"], "unit.docx"),
    (["demo", "--reference-doc", "ref.docx", "-o", "ref.docx"], "ref.docx"),
    (["convert", "unit.yaml", "-o", "unit.yaml", "--force"], "unit.yaml"),
    (["convert", "unit.xlsx", "-o", "./unit.xlsx", "--force"], "unit.xlsx"),
])
def test_output_is_an_input(folder, args, other):
    refused(folder, *args, needles=(SAME, other))


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symlink", "hardlink"])
def test_output_is_an_input_under_another_name(folder, link):
    link("ref.docx", folder / "other.docx") if link is os.symlink else link(folder / "ref.docx", folder / "other.docx")
    refused(folder, "render", "unit.yaml", "--reference-doc", "ref.docx", "-o", "other.docx",
            needles=(SAME, "ref.docx", "other.docx"))
    link("unit.yaml", folder / "same.yaml") if link is os.symlink else link(folder / "unit.yaml", folder / "same.yaml")
    refused(folder, "convert", "unit.yaml", "-o", "same.yaml", "--force", needles=(SAME, "unit.yaml", "same.yaml"))


def test_into_in_place_is_refused(folder):
    """-o may not be the --into file: the user's document (placeholders and all) is an input, kept as it is,
    also when the same document holds the tables, and also through a symlink to it."""
    import docx

    word = docx.Document(str(folder / "unit.docx"))
    word.add_paragraph("{{情况说明}}")
    word.add_paragraph("{{名词解释}}")
    word.save(str(folder / "unit.docx"))
    os.symlink("unit.docx", folder / "link.docx")
    before = snapshot(folder)
    for output in ("unit.docx", "link.docx"):
        outcome = run("render", "unit.docx", "--into", "unit.docx", "-o", output, cwd=folder)
        assert_refused(outcome, SAME, "unit.docx")
    assert snapshot(folder) == before


def test_refuse_same_file_is_reusable(tmp_path):
    from narrate.paths import refuse_same_file

    (tmp_path / "a.yaml").write_text("x")
    os.link(tmp_path / "a.yaml", tmp_path / "b.yaml")
    refuse_same_file(tmp_path / "new.docx", {"数据文件": tmp_path / "a.yaml"})  # not there yet: fine
    refuse_same_file(tmp_path / "a.yaml", {"数据文件": None})
    with pytest.raises(narrate.FiguresError) as info:
        refuse_same_file(tmp_path / "b.yaml", {"上年文件": None, "数据文件": tmp_path / "a.yaml"})
    assert SAME in str(info.value) and "a.yaml" in str(info.value) and "b.yaml" in str(info.value)


# --- 2. special files as -o --------------------------------------------------------------------

WRITERS = [
    ["demo", "-o", "{out}.md"],
    ["render", "unit.yaml", "-o", "{out}.txt"],
    ["schema", "-o", "{out}.json"],
    ["example", "-o", "{out}.yaml", "--force"],
    ["template-xlsx", "-o", "{out}.xlsx", "--force"],
    ["convert", "unit.yaml", "-o", "{out}.json", "--force"],
]


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: a[0])
@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_special_output_refused(folder, args, kind):
    args = [a.format(out="out") for a in args]
    out = folder / args[args.index("-o") + 1]
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "device":
        os.symlink("/dev/null", out)  # never the node itself: as root, a regression would replace it
    else:
        out.mkdir()
    refused(folder, *args, needles=(out.name, "-o -"))
    assert not out.is_file()


def test_library_write_refuses_special_file(tmp_path, example_document):
    os.mkfifo(tmp_path / "out.md")
    before = snapshot(tmp_path)
    with pytest.raises(narrate.FiguresError, match="-o -"):
        narrate.write(example_document, tmp_path / "out.md")
    assert snapshot(tmp_path) == before


def test_symlink_output_writes_its_target(folder):
    (folder / "real").mkdir()
    (folder / "real" / "chapter.md").write_text("old")
    os.symlink("real/chapter.md", folder / "link.md")
    outcome = run("demo", "-o", "link.md", cwd=folder)
    assert outcome.returncode == 0, outcome.stderr
    assert os.readlink(folder / "link.md") == "real/chapter.md"
    assert (folder / "real" / "chapter.md").read_text(encoding="utf-8").startswith("# ")
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_dangling_symlink_output_refused(folder):
    os.symlink("elsewhere/chapter.md", folder / "link.md")
    refused(folder, "demo", "-o", "link.md", needles=("link.md", "elsewhere/chapter.md"))
    assert not (folder / "elsewhere").exists()


# --- 3. messages name the user's file; SIGTERM leaves nothing ----------------------------------

def test_missing_folder_named(folder):
    refused(folder, "demo", "-o", "no/such/out.md", needles=("文件夹不存在：no/such",))


def test_disk_full_names_the_output(folder):
    (folder / "out.md").write_text("old")
    before = snapshot(folder)
    outcome = run_python(
        "import errno, os, sys\n"
        "real = os.fdopen\n"
        "class Full:\n"
        "    def __init__(self, handle): self.handle = handle\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *exc): self.handle.close()\n"
        "    def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fdopen = lambda fd, *a, **k: Full(real(fd, *a, **k))\n"
        "from narrate.cli import main\n"
        "main(['demo', '-o', 'out.md'])\n", cwd=folder)
    assert_refused(outcome, "无法写入 out.md：磁盘空间不足")
    assert ".tmp" not in outcome.stderr
    assert snapshot(folder) == before


CHILD = """
import sys
from narrate.writers import write_atomic

def chunks():
    yield b"partial "
    print("ready", flush=True)
    sys.stdin.buffer.read(1)  # blocks until the parent writes: the parent decides when the write goes on
    yield b"rest"

write_atomic(sys.argv[1], chunks())
"""


def test_sigterm_during_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"ready\n", child.stderr.read()
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "the write is under way"
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=HANG_GUARD_S)
    finally:
        child.kill()
        child.stdin.close()
        child.wait()
    assert child.returncode == -signal.SIGTERM, child.stderr.read()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]
    assert target.read_text() == "old"


def test_write_atomic_takes_chunks(tmp_path):
    from narrate.writers import write_atomic

    write_atomic(tmp_path / "out.txt", iter([b"a", b"b"]))
    assert (tmp_path / "out.txt").read_bytes() == b"ab"


# --- 3. hostile inputs: FIFO, /dev/zero, a folder, too big ------------------------------------

def special_input(folder: Path, kind: str, name: str) -> Path:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes: reading it would block for ever
    elif kind == "zero":
        os.symlink("/dev/zero", path)  # reading it would never end
    elif kind == "folder":
        path.mkdir()
    return path


INPUT_NEEDLE = {"fifo": "不是普通文件", "zero": "不是普通文件", "folder": "文件夹"}


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("args", [
    ["check", "{in}.yaml"],
    ["render", "{in}.xlsx", "-o", "out.md"],
    ["render", "{in}.docx", "-o", "out.md"],
    ["render", "unit.yaml", "--prior", "{in}.docx", "-o", "out.md"],
    ["demo", "--reference-doc", "{in}.docx", "-o", "out.docx"],
    ["demo", "--into", "{in}.docx", "-o", "out.docx"],
    ["convert", "{in}.json", "-o", "out.yaml"],
], ids=lambda a: "-".join(a[:2]))
def test_special_input_refused(folder, kind, args):
    args = [a.format(**{"in": "bad"}) for a in args]
    name = next(a for a in args if a.startswith("bad."))
    special_input(folder, kind, name)
    refused(folder, *args, needles=(name, INPUT_NEEDLE[kind]))


def test_folder_input_refused(folder):
    special_input(folder, "folder", "bad.yaml")
    refused(folder, "convert", "bad.yaml", "-o", "out.json", needles=("bad.yaml", "文件夹"))
    special_input(folder, "folder", "bad.docx")
    refused(folder, "demo", "--reference-doc", "bad.docx", "-o", "out.docx", needles=("bad.docx", "文件夹"))
    outcome = run_python("import narrate\ntry:\n    narrate.load('bad.yaml')\n"
                         "except narrate.FiguresError as exc:\n    print(exc)\n", cwd=folder)
    assert "文件夹" in outcome.stdout and "bad.yaml" in outcome.stdout


def test_too_big_input_refused(folder):
    padding = "# " + "x" * 1000 + "\n"
    (folder / "big.yaml").write_text((folder / "unit.yaml").read_text(encoding="utf-8") + padding * 2100,
                                     encoding="utf-8")
    env = {"NARRATE_MAX_INPUT_MB": "1"}
    refused(folder, "check", "big.yaml", needles=("big.yaml", "文件过大", "NARRATE_MAX_INPUT_MB"), env=env)
    refused(folder, "render", "unit.yaml", "--prior", "big.yaml", "-o", "out.md",
            needles=("big.yaml", "文件过大"), env=env)
    assert run("check", "big.yaml", cwd=folder).returncode == 0  # the default limit lets it through


def test_write_atomic_restores_the_sigterm_handler(tmp_path):
    from narrate.writers import write_atomic

    before = signal.getsignal(signal.SIGTERM)
    write_atomic(tmp_path / "out.txt", b"x")
    with pytest.raises(ValueError):
        write_atomic(tmp_path / "out.txt", (b"y" if n == 0 else int("boom") for n in range(2)))  # type: ignore[misc]
    assert signal.getsignal(signal.SIGTERM) is before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert (tmp_path / "out.txt").read_bytes() == b"x"


def test_library_render_file_refuses_its_input(tmp_path, example_path):
    figures = tmp_path / "unit.yaml"
    shutil.copyfile(example_path, figures)
    before = snapshot(tmp_path)
    with pytest.raises(narrate.FiguresError) as info:
        narrate.api.render_file(figures, tmp_path / "unit.yaml")
    assert SAME in str(info.value)
    assert snapshot(tmp_path) == before
