"""Make tests/data/lint_disclosure.pdf: a whole disclosure (the example's ten tables, then the reference
chapter, Parts 3–4) as Word, converted to PDF by LibreOffice.  The committed PDF is what the PDF tests
read; run this again only to remake it:

    apt-get install -y libreoffice-writer-nogui fonts-noto-cjk   # if missing
    .venv/bin/python tests/data/make_lint_pdf.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/table_files.py


def main() -> None:
    import docx
    from docx.oxml import OxmlElement
    from table_files import docx_from_sheets

    import narrate
    from narrate.writers.workbook import workbook_sheets

    chapter = (HERE / "reference_parts_3_4.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "lint_disclosure.docx"
        docx_from_sheets(workbook_sheets(narrate.load(HERE.parents[1] / "examples" / "yangcheng-2024.yaml")), source)
        document = docx.Document(str(source))
        for table in document.tables:  # rows kept whole across pages (Word: 取消“允许跨页断行”)
            for row in table.rows:
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for line in chapter.splitlines():
            if line.strip():
                document.add_paragraph(line)
        document.save(str(source))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        shutil.copyfile(Path(tmp) / "lint_disclosure.pdf", HERE / "lint_disclosure.pdf")
    print(HERE / "lint_disclosure.pdf")


if __name__ == "__main__":
    main()
