"""The ``narrate`` command: argument parsing, messages and exit codes only.

Exit status: 0 done; 2 the input (figures, templates, options) cannot be used —
a message names the file and field, no traceback, and no output is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_INPUT = 2


class UserError(click.ClickException):
    """An error the user can fix: printed without a traceback, exit status 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"narrate：{self.message}", err=True)


def _run(action):  # type: ignore[no-untyped-def]
    """Run ``action`` turning narrate's input errors into clean messages."""
    from .errors import FiguresError, TemplateError

    try:
        return action()
    except FiguresError as exc:
        raise UserError(str(exc)) from None
    except TemplateError as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"无法写入 {exc.filename or ''}：{exc.strerror or exc}") from None


def _emit(document, output: str, fmt: str | None) -> None:  # type: ignore[no-untyped-def]
    from .writers import format_for, to_bytes, write_atomic

    if output == "-":
        data = to_bytes(document, fmt or "txt")
        if (fmt or "txt") == "docx":
            raise UserError("Word 文件不能写到标准输出；请用 -o 文件名.docx")
        sys.stdout.write(data.decode("utf-8"))
        return
    chosen = fmt or format_for(output)
    data = to_bytes(document, chosen)  # everything rendered before anything is written
    write_atomic(output, data)
    click.echo(f"已写入 {output}（{len(document.blocks)} 段）", err=True)


_profile = click.option("--profile", default="default", show_default=True,
                        help="版式：内置版式名，或含 profile.yaml 的文件夹。")
_templates = click.option("--templates", type=click.Path(file_okay=False), default=None,
                          help="用户模板文件夹：其中的同名模板覆盖版式中的模板（在沙箱中运行）。")
_format = click.option("--format", "fmt", type=click.Choice(["docx", "md", "txt"]), default=None,
                       help="输出格式；默认按输出文件扩展名，写到标准输出（-）时默认 txt。")
_output = click.option("-o", "--output", required=True, metavar="OUT",
                       help="输出文件：.docx、.md 或 .txt；“-” 表示输出文字到标准输出。")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="narrate", prog_name="narrate")
def main() -> None:
    """narrate：由决算公开表生成“情况说明”和“名词解释”（Word / Markdown / 文本）。

    \b
    快速开始：
      narrate demo -o 示例.docx          用内置示例生成 Word 文件
      narrate example -o 我的单位.yaml    写出示例数据，照着填写本单位数据
      narrate render 我的单位.yaml -o 情况说明.docx
    """


@main.command()
@click.argument("figures", type=click.Path(dir_okay=False))
@_output
@_profile
@_templates
@_format
def render(figures: str, output: str, profile: str, templates: str | None, fmt: str | None) -> None:
    """由数据文件 FIGURES（.yaml/.json/.toml）生成第三部分 情况说明 和 第四部分 名词解释。"""
    from .api import render_document

    def action() -> None:
        _emit(render_document(figures, profile=profile, templates=templates), output, fmt)

    _run(action)


@main.command()
@_output
@_profile
@_templates
@_format
def demo(output: str, profile: str, templates: str | None, fmt: str | None) -> None:
    """用内置示例（阳城县人力资源和社会保障局 2024年度）生成文档。"""
    from .api import example_path, render_document

    def action() -> None:
        _emit(render_document(example_path(), profile=profile, templates=templates), output, fmt)

    _run(action)


@main.command()
@click.option("-o", "--output", required=True, metavar="FILE.yaml", help="写出的示例数据文件（.yaml）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def example(output: str, force: bool) -> None:
    """写出内置示例数据（YAML，带中文注释），作为填写本单位数据的起点。"""
    from .api import example_path
    from .writers import write_atomic

    target = Path(output)
    if target.exists() and not force:
        raise UserError(f"{output} 已存在；如要覆盖请加 --force")

    def action() -> None:
        write_atomic(target, example_path().read_bytes())
        click.echo(f"已写入 {output}", err=True)

    _run(action)


if __name__ == "__main__":  # pragma: no cover
    main()
