"""Chinese for the command line's own machinery: click's usage lines, help headings and errors.

narrate's messages are written in Chinese where they are raised; click's ("Usage:", "Options:",
"Error: Missing option '-o' / '--output'.") come from click itself, which marks them for
gettext.  ``click.zh_CN.po`` is their Chinese catalog (locale data, apart from code, as Babel
keeps it); ``click.zh_CN.mo`` is its compiled form, read here with the standard library's
:mod:`gettext`.  :func:`install_click` points click's modules at it.

After editing the .po file: ``python -m narrate.locale`` compiles it (with Babel).
"""

from __future__ import annotations

import gettext
from pathlib import Path

HERE = Path(__file__).parent
CATALOG = HERE / "click.zh_CN.po"
COMPILED = HERE / "click.zh_CN.mo"
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def click_translations() -> gettext.GNUTranslations:
    with COMPILED.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def install_click() -> None:
    """Make click speak Chinese (idempotent; only narrate's process is affected)."""
    import importlib

    translations = click_translations()
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translations.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translations.ngettext  # type: ignore[attr-defined]


def compile_catalog() -> bytes:
    """The .mo bytes of the .po catalog (Babel's compiler)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()
