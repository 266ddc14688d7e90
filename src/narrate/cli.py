"""The ``narrate`` command: argument parsing, messages and exit codes only.

Exit status: 0 done; 1 the tables break a cross-table rule (勾稽, see
``narrate check``): nothing is written; 2 the input (figures, templates,
options) cannot be used — a message names the file and field, no traceback,
and no output is written.
"""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path

import click

from .locale import install_click

install_click()  # click's own words (用法、选项、错误) in Chinese, before any option's help text is made
# At exit, no final garbage collection of every imported module's objects (pydantic, Jinja2, lxml):
# ~60 ms of a cold `narrate render`, for memory the OS takes back anyway.  Files are closed explicitly.
atexit.register(gc.freeze)

EXIT_RULES = 1
EXIT_INPUT = 2
SEVERITY_TITLE = {"error": "错误", "warning": "警告", "info": "提示"}


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


def _guard_paths(output: str, inputs: dict[str, str | None], word_files: dict[str, str | None] | None = None) -> None:
    """Before any work: -o must not be one of the inputs (by identity, so links count; the --into
    document too: it stays as the user made it, placeholders and all) nor a FIFO, device or folder
    (checked again as it is written), and the Word files read besides the figures must be bounded
    regular files (a FIFO would hang)."""
    from .limits import check_input_file
    from .paths import output_target, refuse_same_file

    for role, path in (word_files or {}).items():
        if path:
            check_input_file(path, f"{role}（Word 文件 .docx）")
    if output != "-":
        refuse_same_file(output, inputs)
        output_target(output)


def _print_report(report, source: str, verbose: bool, err: bool = True,  # type: ignore[no-untyped-def]
                  notes: bool = True, cells=None) -> None:
    """Errors and warnings always; with ``notes``, the 提示 too — 尾数误差 as one summary line unless
    ``verbose`` (they are normal: each printed 万元 figure is rounded from 元).  With the loader's
    ``cells`` map, each finding names its cells, and the cells shared by several errors come first."""
    from .rules import addresses, suspects

    cells = cells or {}
    counts = f"错误 {len(report.errors)} 处，警告 {len(report.warnings)} 处，提示 {len(report.notes)} 处"
    click.echo(f"{source}：{'核对通过' if report.ok else '核对未通过'}（{counts}）", err=err)
    for n, (address, shared) in enumerate(suspects(report.findings, cells)):
        lead = "最可能有误的单元格" if n == 0 else "其次"
        click.echo(f"  {lead}：{address}，涉及 {shared} 条核对", err=err)
    tails = [f for f in report.notes if f.category == "尾数误差"]
    for finding in report.findings:
        if finding.severity == "info" and (not notes or (finding in tails and not verbose)):
            continue
        where = addresses(finding, cells)
        shown = f"（单元格：{'、'.join(where)}）" if where else ""
        click.echo(f"  [{SEVERITY_TITLE[finding.severity]}·{finding.category}] {finding.message}{shown}", err=err)
    if not notes and report.notes:
        click.echo(f"  （{len(report.notes)} 条提示未列出，用 narrate check 查看）", err=err)
    elif tails and not verbose:
        click.echo(f"  [提示·尾数误差] {len(tails)} 处尾数误差（公开表由元转换为万元四舍五入所致，不用改），"
                   "用 narrate check --verbose 逐条查看", err=err)


def _load_located(figures_path, prior: str | None = None, profile: str | None = None):  # type: ignore[no-untyped-def]
    """Load figures (.yaml/.json/.toml/.xlsx/.docx) with the cell each figure was read from (``Located``);
    with ``prior``, fill the 上年 figures left out from last year's file; ``profile``: the chosen layout
    (a nine-table layout's workbook or document has no 公开10表)."""
    from .loaders import load_located

    located = load_located(figures_path, profile)
    return located._replace(figures=_with_prior(located.figures, prior))


def _with_prior(figures, prior: str | None):  # type: ignore[no-untyped-def]
    if prior:
        from .loaders.prior import merge_prior, prior_from_document

        filled: list[str] = []
        figures = merge_prior(figures, prior_from_document(prior), source=str(prior), filled=filled)
        click.echo(f"已从 {prior} 填入上年数 {len(filled)} 项" + ("" if filled else "（数据中已都填写）"), err=True)
    return figures


def _checked_document(figures_path, profile: str, templates: str | None, threshold: str,  # type: ignore[no-untyped-def]
                      prior: str | None = None, review: bool = False):
    """Load, check (errors stop here), compute and render → (document, the ``review`` option for the
    writer: with ``review``, each source's workbook cell — or True when the figures name no cells)."""
    from .computation import compute
    from .rendering import render
    from .rules import check_and_render

    figures, cells, _ = _load_located(figures_path, prior, profile)
    facts = compute(figures)
    report, document = check_and_render(figures, reason_threshold=threshold, profile=profile, facts=facts)
    if report.errors or report.warnings:
        _print_report(report, str(figures_path), verbose=False, notes=False, cells=cells)
    if not report.ok:
        raise RulesFailed()
    if templates:  # the check rendered the layout alone; the user's templates change the text
        document = render(facts, profile=profile, templates=templates)
    if not review:
        return document, False
    from .provenance import source_cells

    return document, source_cells(facts, figures, cells) or True


class RulesFailed(click.ClickException):
    """The tables break a cross-table rule: exit status 1, nothing written."""

    exit_code = EXIT_RULES

    def __init__(self) -> None:
        super().__init__("公开表核对未通过，未生成文档；请按上面的错误修改数据后重试")

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"narrate：{self.message}", err=True)


def _emit(document, review, output: str, fmt: str | None,  # type: ignore[no-untyped-def]
          reference_doc: str | None = None, into: str | None = None,
          after_heading: tuple[str, ...] = ()) -> None:
    from .writers import format_for, to_bytes, write_atomic

    word_options = [name for name, value in (("--reference-doc", reference_doc), ("--into", into),
                                             ("--after-heading", after_heading)) if value]
    if output == "-":
        if (fmt or "txt") == "docx" or word_options:
            raise UserError("Word 文件不能写到标准输出；请用 -o 文件名.docx")
        sys.stdout.write(to_bytes(document, fmt or "txt").decode("utf-8"))
        return
    chosen = fmt or format_for(output)
    if review and chosen != "docx":
        raise UserError("--review 只用于 Word 输出（.docx）")
    if word_options and chosen != "docx":
        raise UserError(f"{'、'.join(word_options)} 只用于 Word 输出（.docx）；请用 -o 文件名.docx")
    if after_heading and not into:
        raise UserError("--after-heading 须与 --into 一起使用：指出插入到 --into 文档中哪一段之后")
    if into and reference_doc:
        raise UserError("--into 时插入的段落使用目标文档自己的样式，不能再用 --reference-doc")
    count = len(document.blocks)
    if into:
        from .writers.docx_into import insertion

        inserted = insertion(document, into, after_heading=after_heading or None, review=review)
        data, count = inserted.data, inserted.paragraphs
    else:
        data = to_bytes(document, chosen, review=review, reference_doc=reference_doc)
    write_atomic(output, data)
    where = f"在 {into} 中插入 " if into else ""
    click.echo(f"已写入 {output}（{where}{count} 段）", err=True)


_profile = click.option("--profile", default=None,
                        help="版式：内置版式名（default、shanghai-2024、central-style），或含 profile.yaml 的文件夹；"
                             "不写则用数据文件中的 profile，再不写则用 default。")
_templates = click.option("--templates", type=click.Path(file_okay=False), default=None,
                          help="用户模板文件夹：其中的同名模板覆盖版式中的模板（在沙箱中运行）。")
_format = click.option("--format", "fmt", type=click.Choice(["docx", "md", "txt"]), default=None,
                       help="输出格式；默认按输出文件扩展名，写到标准输出（-）时默认 txt。")
def _reason_threshold(ctx, param, value: str) -> str:  # type: ignore[no-untyped-def]
    """--reason-threshold checked as the library checks it (rules.parse_reason_threshold): exit 2 otherwise."""
    from .rules import parse_reason_threshold

    try:
        parse_reason_threshold(value)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return value


_threshold = click.option("--reason-threshold", default="0", show_default=True, metavar="PCT", callback=_reason_threshold,
                          help="增减幅度（%）不超过此值的变化不提示“需说明原因”；默认 0 即每一处变化都提示。")
_review = click.option("--review", is_flag=True,
                       help="审阅版：Word 文件中每个计算出的数字带批注，写明计算公式和来源单元格。")
_output = click.option("-o", "--output", required=True, metavar="OUT",
                       help="输出文件：.docx、.md 或 .txt；“-” 表示输出文字到标准输出。")
_prior = click.option("--prior", default=None, metavar="LASTYEAR",
                      help="上年的决算公开文件（.docx，或 .xlsx/.yaml）：数据中没填的上年数从中取"
                           "（01表收入/支出总计、04表财政拨款总计、05表合计及各类、09表“三公”决算数、10表机关运行经费）。")


def _word_options(command):  # type: ignore[no-untyped-def]
    """--reference-doc, --into, --after-heading (Word output only; see docs/word.md)."""
    command = click.option(
        "--after-heading", "after_heading", multiple=True, metavar="TEXT",
        help="与 --into 同用：插在文字为 TEXT 的段落（如“第三部分 情况说明”）之后，不再重复该部分标题；"
             "写两次时第三部分放在第一段之后、第四部分放在第二段之后。")(command)
    command = click.option(
        "--into", "into", default=None, metavar="REPORT.docx",
        help="把第三、四部分插入已有的 Word 文件：放在只写 {{情况说明}}、{{名词解释}}"
             "（或一处 {{情况说明及名词解释}}）的段落处；该文件其余内容不变，结果写到 -o（另一个文件：原文件不改动）。")(command)
    return click.option(
        "--reference-doc", "reference_doc", default=None, metavar="STYLE.docx",
        help="样式参考文件：页面设置、页眉页脚和样式（正文、标题 1–4）取自该 Word 文件，其内容不用。")(command)


class _Command(click.Command):
    def __init__(self, *args, options_metavar: str = "[选项]", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, options_metavar=options_metavar, **kwargs)


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args, options_metavar: str = "[选项]",  # type: ignore[no-untyped-def]
                 subcommand_metavar: str = "命令 [参数]...", **kwargs) -> None:
        super().__init__(*args, options_metavar=options_metavar, subcommand_metavar=subcommand_metavar, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.argument("figures")  # checked by load(): a folder, FIFO or missing file gets a Chinese message
@_output
@_profile
@_templates
@_format
@_threshold
@_review
@_word_options
@_prior
def render(figures: str, output: str, profile: str, templates: str | None, fmt: str | None,
           reason_threshold: str, review: bool, reference_doc: str | None = None,
           into: str | None = None, after_heading: tuple[str, ...] = (), prior: str | None = None) -> None:
    """由 FIGURES 生成第三部分 情况说明 和 第四部分 名词解释。

    FIGURES：数据文件（.yaml/.json/.toml）、Excel 工作簿（.xlsx，narrate template-xlsx 的格式或决算软件导出的公开表）
    或含十张公开表的 Word 文档（.docx）。
    先按 narrate check 核对公开表：有错误则不生成文档（退出码 1），警告照常列出。
    放进本单位自己的 Word 文件：--into（插入已有文件）或 --reference-doc（用其样式），见 docs/word.md。
    """

    def action() -> None:
        _guard_paths(output, {"数据文件": figures, "上年文件": prior, "参考文档": reference_doc,
                              "--into 文档": into},
                     {"参考文档": reference_doc, "目标文档": into})
        _emit(*_checked_document(figures, profile, templates, reason_threshold, prior, review), output, fmt,
              reference_doc=reference_doc, into=into, after_heading=after_heading)

    _run(action)


@main.command(name="check")
@click.argument("figures")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出核对结果（供其他工具读取；列出全部提示）。")
@click.option("-v", "--verbose", is_flag=True, help="逐条列出尾数误差（默认只列一行合计）。")
@_profile
@_threshold
@_prior
def check_command(figures: str, as_json: bool, profile: str, reason_threshold: str, prior: str | None = None,
                  verbose: bool = False) -> None:
    """核对 FIGURES（数据文件、.xlsx 工作簿或 .docx 文档）：表间勾稽关系、尾数误差、缺少的表外数据、需说明原因的变化。

    \b
    退出码：0 核对通过（可有警告和提示）；1 有勾稽错误；2 数据文件无法读取或格式有误。
    """
    from .errors import FiguresError
    from .rules import addresses, check, suspects

    def action():  # type: ignore[no-untyped-def]
        try:
            located, refused = _load_located(figures, prior, profile), None
        except FiguresError as exc:
            if exc.partial is None:
                raise
            located, refused = exc.partial._replace(figures=_with_prior(exc.partial.figures, prior)), exc
        # the cells that could not be read count as left out: the rules resting on them are skipped
        return refused, located.cells, check(located.figures, reason_threshold=reason_threshold, profile=profile,
                                             unreadable=located.unreadable)

    refused, cells, report = _run(action)
    if refused is not None:  # every input problem first, then the rules over what could be read
        click.echo(f"narrate：{refused}", err=True)
    if as_json:
        import dataclasses
        import json

        data = {"file": figures, **report.as_dict()}
        for finding, shown in zip(report.findings, data["findings"]):
            for cell in shown["cells"]:
                cell["address"] = cells.get(cell["path"], "") if cell["path"] else ""
            shown["addresses"] = addresses(finding, cells)
        data["suspects"] = [{"address": a, "findings": n} for a, n in suspects(report.findings, cells)]
        if refused is not None:
            data["ok"] = False
            data["input_errors"] = [dataclasses.asdict(p) for p in refused.problems]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if refused is not None:
            click.echo("以下为其余单元格的核对结果（未能读取的单元格按未填处理，涉及它们的核对已跳过）：", err=True)
        _print_report(report, figures, verbose=verbose, err=False, cells=cells)
    sys.exit(EXIT_INPUT if refused is not None else 0 if report.ok else EXIT_RULES)


@main.command()
@_output
@_profile
@_templates
@_format
@_review
@_word_options
def demo(output: str, profile: str, templates: str | None, fmt: str | None, review: bool,
         reference_doc: str | None = None, into: str | None = None,
         after_heading: tuple[str, ...] = ()) -> None:
    """用内置示例生成文档：默认版式用阳城县人力资源和社会保障局 2024年度；--profile shanghai-2024 用上海示例单位。"""
    from .api import example_path

    def action() -> None:
        _guard_paths(output, {"内置示例数据": str(example_path(profile or "default")), "参考文档": reference_doc,
                              "--into 文档": into},
                     {"参考文档": reference_doc, "目标文档": into})
        _emit(*_checked_document(example_path(profile or "default"), profile, templates, "0", review=review), output,
              fmt, reference_doc=reference_doc, into=into, after_heading=after_heading)

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
        _guard_paths(output, {"内置示例数据": str(example_path())})
        text = example_path().read_text(encoding="utf-8")
        # point editors at a schema beside the file (narrate schema -o figures.schema.json writes it)
        text = text.replace("$schema=../docs/figures.schema.json", "$schema=figures.schema.json", 1)
        write_atomic(target, text.encode("utf-8"))
        click.echo(f"已写入 {output}；编辑器提示可用 narrate schema -o figures.schema.json 生成 schema 文件", err=True)

    _run(action)


@main.command()
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE.json",
              help="写出的 JSON Schema 文件；“-” 表示输出到标准输出。")
def schema(output: str) -> None:
    """写出数据文件的 JSON Schema，供编辑器（如 VS Code）提示字段和检查格式。"""
    from .schema import schema_text
    from .writers import write_atomic

    def action() -> None:
        text = schema_text()
        if output == "-":
            click.echo(text, nl=False)
        else:
            write_atomic(output, text.encode("utf-8"))
            click.echo(f"已写入 {output}", err=True)

    _run(action)


@main.command()
@click.argument("figures")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供其他工具读取）。")
@_profile
@_templates
@_prior
def explain(figures: str, as_json: bool, profile: str, templates: str | None, prior: str | None = None) -> None:
    """列出文中每一个数字：所在段落、计算公式及运算数、来源单元格（表、行、列）。"""
    from .computation import compute
    from .provenance import explain as explain_document
    from .provenance import source_cells
    from .rendering import render

    def action():  # type: ignore[no-untyped-def]
        located = _load_located(figures, prior, profile)
        facts = compute(located.figures)
        document = render(facts, profile=profile, templates=templates)
        return explain_document(document, source_cells(facts, located.figures, located.cells))

    entries = _run(action)
    if as_json:
        import json

        click.echo(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    section = None
    for n, entry in enumerate(entries, start=1):
        if entry.section != section:
            section = entry.section
            click.echo(f"\n【{section}】")
        click.echo(f"{n:>4}. {entry.printed:<12} {entry.label}：{entry.how}")
        click.echo(f"      来源：{'；'.join(entry.shown_sources())}")
        click.echo(f"      原文：{entry.context}")
        if entry.convention:
            click.echo(f"      印法：{entry.convention}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR", help="输出文件夹（不存在则新建）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="并行进程数；默认等于 CPU 核数。")
@click.option("--format", "formats", default="docx", show_default=True, metavar="docx,md,txt",
              help="输出格式，可写多个，用逗号分隔。")
@_profile
@_templates
@click.option("--force", is_flag=True, help="不跳过未变化的单位，全部重新生成。")
@click.option("--quiet", is_flag=True, help="不显示进度条。")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="秒",
              help="输出文件夹正被另一个 narrate batch 使用时，最多等这么多秒；默认不等，立即退出（退出码 2）。")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="在已有的 Dask 集群上生成（如 tcp://10.0.0.5:8786）；需 pip install 'narrate[dask]'。")
def batch(inputs: tuple[str, ...], outdir: str, jobs: int | None, formats: str, profile: str | None,
          templates: str | None, force: bool, quiet: bool, wait: float, scheduler: str | None) -> None:
    """批量核对并生成多个单位：INPUTS 为数据文件、文件夹（含子文件夹）或通配符（如 'units/*.yaml'）。

    \b
    一个单位出错不影响其他单位。结束时列出汇总表，并在输出文件夹中写 summary.csv 和 summary.json。
    再次运行时，输入文件和 narrate 版本都没有变化的单位跳过（--force 全部重做）。
    同一输出文件夹同时只能有一个 narrate batch 在运行（--wait 等待）。
    退出码：0 全部生成（可有警告）；1 有单位失败；2 参数有误或输出文件夹正被使用。
    """
    from .batch import BatchError, find_inputs, iter_batch

    chosen = tuple(f.strip().lower().lstrip(".") for f in formats.split(",") if f.strip())
    bad = [f for f in chosen if f not in ("docx", "md", "txt")]
    if bad or not chosen:
        raise UserError(f"不支持的输出格式：{'、'.join(bad) or formats}（可用 docx、md、txt）")
    show = not quiet and sys.stderr.isatty()
    tally = _Tally()

    def action():  # type: ignore[no-untyped-def]
        try:
            total = len(find_inputs(inputs, exclude=outdir))
        except FileNotFoundError as exc:
            raise UserError(f"找不到输入：{exc.args[0]}") from None
        if total == 0:
            raise UserError("输入中没有数据文件（.yaml/.yml/.json/.toml/.xlsx/.docx）")
        rows = iter_batch(inputs, outdir, chosen, jobs, profile, templates, force, scheduler, wait,
                          on_wait=lambda message: click.echo(f"narrate：{message}", err=True))
        try:
            if not show:
                tally.take(rows, lambda n: None)
                return
            with click.progressbar(length=total, label="生成中", file=sys.stderr, show_pos=True) as bar:
                tally.take(rows, bar.update)
        except BatchError as exc:
            raise UserError(str(exc)) from None

    _run(action)
    _print_summary(tally, Path(outdir))
    sys.exit(0 if tally.counts["errors"] == 0 else EXIT_RULES)


STATUS_TITLE = {"ok": "通过", "warnings": "有警告", "errors": "失败", "skipped": "未变跳过"}
SHOWN = 50


class _Tally:
    """What the summary table shows, kept as the rows stream by: counts, the first rows and the first problems."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(STATUS_TITLE, 0)
        self.first: list = []
        self.problems: list = []

    def take(self, rows, update) -> None:  # type: ignore[no-untyped-def]
        for row in rows:
            self.counts[row.status] += 1
            if len(self.first) <= SHOWN:
                self.first.append(row)
            if row.status in ("errors", "warnings") and len(self.problems) < SHOWN:
                self.problems.append(row)
            update(1)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _print_summary(tally: _Tally, outdir: Path) -> None:
    shown = tally.first if tally.total <= SHOWN else tally.problems
    width = max([_width(r.unit or r.input) for r in shown] + [4])
    if shown:
        click.echo(f"{_pad('单位', width)}  {_pad('状态', 8)}  输出 / 第一条消息")
    for r in shown:
        where = "、".join(r.outputs) if r.outputs else ""
        note = f"  {r.message}" if r.message and r.status in ("errors", "warnings") else ""
        click.echo(f"{_pad(r.unit or r.input, width)}  {_pad(STATUS_TITLE[r.status], 8)}  {where}{note}")
    if tally.total > len(shown):
        click.echo(f"（共 {tally.total} 个单位，上表只列出失败和有警告的；完整汇总见 summary.csv）")
    counts = tally.counts
    click.echo(f"共 {tally.total} 个单位：通过 {counts['ok']}，有警告 {counts['warnings']}，失败 {counts['errors']}，"
               f"未变跳过 {counts['skipped']}。汇总：{outdir / 'summary.csv'}、{outdir / 'summary.json'}")


@main.command(name="template-xlsx")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="写出的空白工作簿（.xlsx）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
@click.option("--profile", default=None,
              help="版式：没有公开10表的版式（如 central-style），工作簿不含公开10表，其数在表外数据中填写。")
def template_xlsx(output: str, force: bool, profile: str | None) -> None:
    """写出空白的 Excel 填报工作簿：十张公开表（按印发格式）和表外数据各表，黄色单元格为填写处。

    \b
    填好后：narrate check 本单位.xlsx；narrate render 本单位.xlsx -o 情况说明.docx
    """
    if Path(output).suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应为 .xlsx：{output}")
    if Path(output).exists() and not force:
        raise UserError(f"{output} 已存在；如要覆盖请加 --force")

    def action() -> None:
        from .rendering import absent_tables
        from .writers.workbook import write_workbook

        write_workbook(output, absent_tables=absent_tables(profile))
        click.echo(f"已写入 {output}：先看“填表说明”，填写黄色单元格", err=True)

    _run(action)


@main.command()
@click.argument("source", metavar="IN")
@click.option("-o", "--output", required=True, metavar="OUT",
              help="输出文件：.xlsx（工作簿）、.yaml、.json 或 .toml（数据文件）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def convert(source: str, output: str, force: bool) -> None:
    """在数据文件（.yaml/.json/.toml）、Excel 工作簿（.xlsx）之间转换；也可读 Word 文档（.docx）中的公开表。

    \b
    例：narrate convert 我的单位.yaml -o 我的单位.xlsx
        narrate convert 决算软件导出.xlsx -o 我的单位.yaml
    转换前按数据模型校验，转换不丢失任何数据。
    """
    suffix = Path(output).suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml", ".json", ".toml"):
        raise UserError(f"不支持的输出格式“{suffix}”：输出文件的扩展名应为 .xlsx、.yaml、.json 或 .toml")
    if Path(output).exists() and not force:
        raise UserError(f"{output} 已存在；如要覆盖请加 --force")

    def action() -> None:
        from .loaders import load

        _guard_paths(output, {"输入文件": source})
        figures = load(source)
        if suffix == ".xlsx":
            from .rendering import absent_tables
            from .writers.workbook import write_workbook

            write_workbook(output, figures, absent_tables(figures.profile))
        else:
            from .dump import dump

            dump(figures, output)
        click.echo(f"已写入 {output}", err=True)

    _run(action)


@main.command("lint")
@click.argument("disclosure", type=click.Path(dir_okay=False))
@click.option("--figures", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="公开表数据（narrate 能读的任何文件：.yaml/.json/.toml/.xlsx/.docx）；"
                   "DISCLOSURE 是含公开表的整份 Word/PDF 时可不写。")
@_profile
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果。")
@click.option("--review", "review_out", default=None, metavar="OUT.docx",
              help="把 DISCLOSURE（须为 .docx）另存为 OUT.docx，在每处问题上加 Word 批注。")
@click.option("--force", is_flag=True, help="--review 的输出文件已存在时覆盖。")
def lint_command(disclosure: str, figures: str | None, profile: str | None, as_json: bool,
                 review_out: str | None, force: bool) -> None:
    """核对已写好的“情况说明”：数字（占比、增长率、完成率、增减额、合计）、方向词、百分号和小数位、模板残留、缺少的章节。

    \b
    DISCLOSURE：整份决算公开（.docx 或 .pdf，公开表取自同一文件），或只含情况说明的 .docx/.md/.txt/.pdf（配 --figures）。
    退出码：0 没有错误（可有警告和尾数提示）；1 有错误；2 文件无法读取。详见 docs/lint.md。
    """
    from .linting import lint

    if review_out:
        if Path(disclosure).suffix.lower() not in (".docx", ".docm"):
            raise UserError("--review 只用于 Word 文档（.docx）：批注加在你的 Word 文件上")
        if Path(review_out).suffix.lower() != ".docx":
            raise UserError(f"--review 的输出文件应为 .docx，而不是“{review_out}”")
        if Path(review_out).resolve() == Path(disclosure).resolve():
            raise UserError("--review 的输出文件不能是被核对的文件本身；请另起文件名")
        if Path(review_out).exists() and not force:
            raise UserError(f"{review_out} 已存在；如要覆盖请加 --force")

    report = _run(lambda: lint(disclosure, figures=figures, profile=profile))
    if review_out:
        from .linting.review import review_bytes
        from .writers import write_atomic

        _run(lambda: write_atomic(review_out, review_bytes(disclosure, report)))
        click.echo(f"已写入 {review_out}（{len(report.findings)} 条批注）", err=True)
    if as_json:
        import json

        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text(), nl=False)
    sys.exit(report.exit_code)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；不是本机地址时须用 --token（不写则生成一个）。")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="端口；默认 0 即任选一个空闲端口。")
@click.option("--token", default=None, help="访问口令：网址须带 ?token=口令（监听非本机地址时必需）。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
def serve(host: str, port: int, token: str | None, no_browser: bool) -> None:
    """在本机启动网页版：打开数据文件、核对、填写原因、下载 Word。见 docs/web.md。"""
    try:
        from .web import serve as run
    except ImportError:
        raise UserError("网页版需要另装依赖：pip install 'narrate[web]'") from None
    try:
        run(host=host, port=port, token=token, open_browser=not no_browser, echo=lambda m: click.echo(m, err=True))
    except OSError as exc:
        raise UserError(f"无法在 {host}:{port} 启动：{exc.strerror or exc}") from None


if __name__ == "__main__":  # pragma: no cover
    main()
