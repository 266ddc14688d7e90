"""The reference document's Parts 3 and 4 as a list of paragraphs.

The reference document (../shared/seed/000_786bed1ef21bebbf.txt, the real 2024
决算公开 of 阳城县人力资源和社会保障局) is plain text converted from a PDF.
Cleaning rules (see ../shared/docs/seed-notes.md):

* the text runs from "第三部分 情况说明" to just before "第五部分 附件";
* blank lines and the page stamps "仅供内部审核" are not paragraphs;
* one paragraph is split by a page break ("…其资产全部移交局机" / "关，也包括…"):
  a line that continues a sentence cut mid-word is joined to the previous one;
* the bullet marks "- " of Part 4 are conversion artefacts and are removed;
* the trailing "- 无。" after term 十二 is not a term and is dropped.

A copy of the cleaned paragraphs is committed as tests/data/reference_parts_3_4.txt
so the golden test runs without the shared folder; test_reference_fixture checks
the copy against the seed whenever the seed is present.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "reference_parts_3_4.txt"
SEED_CANDIDATES = [
    ROOT.parent / "shared" / "seed" / "000_786bed1ef21bebbf.txt",
    ROOT.parent.parent / "shared" / "seed" / "000_786bed1ef21bebbf.txt",
]


def seed_path() -> Path | None:
    for path in SEED_CANDIDATES:
        if path.is_file():
            return path
    return None


def clean_seed(text: str) -> list[str]:
    """Apply the cleaning rules above to the seed's full text."""
    lines = text.splitlines()
    start = lines.index("第三部分 情况说明")
    end = lines.index("第五部分 附件")
    paragraphs: list[str] = []
    for raw in lines[start:end]:
        line = raw.strip()
        if not line or line == "仅供内部审核":
            continue
        if line.startswith("- "):
            line = line[2:]
        if line == "无。" and paragraphs and paragraphs[-1].startswith("十二、"):
            continue  # the stray "- 无。" after the last term
        if paragraphs and paragraphs[-1].endswith("局机") and line.startswith("关，"):
            paragraphs[-1] += line  # the paragraph split by a page break
            continue
        paragraphs.append(line)
    return paragraphs


def reference_paragraphs() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").splitlines()


if __name__ == "__main__":  # regenerate the fixture from the seed
    seed = seed_path()
    assert seed is not None, "seed not found"
    FIXTURE.write_text("\n".join(clean_seed(seed.read_text(encoding="utf-8"))) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
