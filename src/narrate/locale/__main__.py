"""``python -m narrate.locale``: compile click.zh_CN.po into click.zh_CN.mo."""

from . import COMPILED, compile_catalog

COMPILED.write_bytes(compile_catalog())
print(f"已写入 {COMPILED}")
