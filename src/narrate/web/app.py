"""The routes of ``narrate serve``: start, review, fill in reasons, download, insert, lint.

Uploads come as the request body (the page's script sends the chosen file with ``fetch``),
are limited in size (``narrate.limits``) and type (by extension, then by the library's own
reading), and are saved under the session's folder with a name the server picks.  Every
error becomes a Chinese message on the page; a traceback only reaches the server's console.
"""

from __future__ import annotations

import contextlib
import hmac
import re
import json
import logging
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import views
from .sessions import COOKIE, Session, SessionStore
from .workspace import FIGURE_SUFFIXES, WebError, Workspace, call, lint_file, lint_review

HERE = Path(__file__).parent
LOG = logging.getLogger("narrate.web")
TOKEN_COOKIE = "narrate_token"
LINT_SUFFIXES = (".docx", ".pdf", ".md", ".txt")
MAX_FORM = 64 * 1024  # bytes of a JSON or form body (a typed reason, a choice)
DOWNLOADS = {
    "chapter.docx": ("情况说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "chapter-review.docx": ("情况说明（审阅版）.docx",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "chapter.md": ("情况说明.md", "text/markdown; charset=utf-8"),
    "figures.xlsx": ("决算公开数据.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "figures.yaml": ("决算公开数据.yaml", "application/yaml; charset=utf-8"),
    "blank.xlsx": ("决算公开填报表（空白）.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "into.docx": ("决算公开（已插入情况说明）.docx",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "lint-review.docx": ("核对批注.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "Cache-Control": "no-store",
}


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["groups"] = views.findings
    env.globals["marked_sentence"] = views.marked_sentence
    return env


ENV = _environment()


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status)


def error_page(message: str, status: int = 400, back: str = "/") -> HTMLResponse:
    return page("error.html", status=status, message=message, back=back)


def _profiles() -> list[str]:
    from narrate.rendering import bundled_profiles

    return bundled_profiles()


# ------------------------------------------------------------------ request helpers
def session_of(request: Request) -> Session:
    return request.scope["narrate.session"]


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused past ``limit`` bytes (checked as it arrives, not only by its header)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise WebError(_too_big(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise WebError(_too_big(limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(limit: int) -> str:
    return f"文件过大：最多 {limit // (1 << 20)} MB（环境变量 NARRATE_MAX_INPUT_MB 可调）"


async def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await _body(request, MAX_FORM))
    except (ValueError, UnicodeDecodeError):
        raise WebError("请求内容有误（应为 JSON）") from None
    if not isinstance(data, dict):
        raise WebError("请求内容有误（应为 JSON 对象）")
    return data


async def _form(request: Request) -> dict[str, str]:
    body = (await _body(request, MAX_FORM)).decode("utf-8", "replace")
    return {k: v[-1] for k, v in parse_qs(body).items()}


async def _upload(request: Request, session: Session, suffixes: tuple[str, ...], kind: str) -> tuple[Path, str]:
    """Save the uploaded file (body of the request, its name in ?name=) in the session's folder."""
    from narrate.limits import LIMITS

    name = Path(request.query_params.get("name", "")).name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise WebError(f"不支持的文件“{name or '（无名）'}”：{kind}应为 {'、'.join(suffixes)} 文件")
    data = await _body(request, LIMITS.max_input_bytes)
    if not data:
        raise WebError(f"文件“{name}”是空的")
    path = session.new_path(suffix)
    path.write_bytes(data)
    return path, name


def _profile_choice(value: str | None) -> str | None:
    if not value:
        return None
    if value not in _profiles():
        raise WebError(f"没有名为“{value}”的版式；可选：{'、'.join(_profiles())}")
    return value


def _workspace(session: Session) -> Workspace | None:
    return session.state.get("workspace")


def _locked(session: Session, work: Any) -> Any:
    with session.lock:
        return work()


def _attachment(key: str, data: bytes, unit: str = "") -> Response:
    """The file as a download named in Chinese, after the unit when known ("某局2024年度情况说明.docx")."""
    filename, media = DOWNLOADS[key]
    prefix = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", unit)[:60]
    if prefix and key != "blank.xlsx":
        filename = prefix + filename
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{key}\"; filename*=UTF-8''{quote(filename)}"})


# ------------------------------------------------------------------ pages
async def start(request: Request) -> Response:
    session = session_of(request)
    return page("start.html", profiles=_profiles(), space=_workspace(session),
                error=session.state.pop("error", ""), name=session.state.get("upload_name", ""))


async def review(request: Request) -> Response:
    space = _workspace(session_of(request))
    if space is None:
        return RedirectResponse("/", status_code=303)
    return page("review.html", space=space, blocks=views.chapter(space.document), profiles=_profiles(),
                fields=space.fields)


async def lint_page(request: Request) -> Response:
    session = session_of(request)
    return page("lint.html", result=session.state.get("lint"), space=_workspace(session), profiles=_profiles(),
                error=session.state.pop("lint_error", ""))


# ------------------------------------------------------------------ actions
async def upload(request: Request) -> Response:
    session = session_of(request)
    try:
        profile = _profile_choice(request.query_params.get("profile"))
        path, name = await _upload(request, session, FIGURE_SUFFIXES, "数据文件")
        space = await run_in_threadpool(_locked, session, lambda: Workspace.open(path, name, profile))
    except WebError as exc:
        session.state["error"], session.state["upload_name"] = str(exc), request.query_params.get("name", "")
        return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
    session.state["workspace"] = space
    return JSONResponse({"ok": True, "next": "/review"})


async def open_example(request: Request) -> Response:
    session = session_of(request)
    try:
        profile = _profile_choice((await _form(request)).get("profile"))
        import narrate

        path = narrate.example_path(profile or "default")
        space = await run_in_threadpool(_locked, session,
                                        lambda: Workspace.open(path, f"内置示例 {path.name}", profile))
    except WebError as exc:
        session.state["error"] = str(exc)
        return RedirectResponse("/", status_code=303)
    session.state["workspace"] = space
    return RedirectResponse("/review", status_code=303)


async def set_text(request: Request) -> Response:
    session = session_of(request)
    space = _workspace(session)
    if space is None:
        return JSONResponse({"ok": False, "error": "会话已过期，请重新打开数据文件"}, status_code=409)
    try:
        data = await _json(request)
        path, text, version = data.get("path"), data.get("text"), data.get("version")
        if not isinstance(path, str) or not isinstance(text, str):
            raise WebError("请求内容有误：缺少 path 或 text")
        if not isinstance(version, (int, float)) or isinstance(version, bool):
            version = None

        def work() -> dict[str, Any]:
            before = views.chapter(space.document)
            space.set_text(path, text, version)
            after = views.chapter(space.document)
            return _update(space, before, after)

        return JSONResponse({"ok": True, **await run_in_threadpool(_locked, session, work)})
    except WebError as exc:
        return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)


def _update(space: Workspace, before: list[views.BlockView], after: list[views.BlockView]) -> dict[str, Any]:
    """What the page replaces after a text was typed: the changed paragraphs (or the whole chapter)."""
    block = ENV.get_template("_block.html").module
    diff = views.changed(before, after)
    out: dict[str, Any] = {
        "findings": ENV.get_template("_findings.html").render(space=space),
        "error": space.error,
        "filled": sorted(space.texts),
    }
    if diff is None:
        out["chapter"] = ENV.get_template("_chapter.html").render(blocks=after)
    else:
        out["blocks"] = [{"index": b.index, "html": str(block.render_block(b))} for b in diff]
    return out


async def set_profile(request: Request) -> Response:
    session = session_of(request)
    space = _workspace(session)
    try:
        if space is None:
            raise WebError("请先打开数据文件")
        profile = _profile_choice((await _json(request)).get("profile"))
        await run_in_threadpool(_locked, session, lambda: space.set_profile(profile))
    except WebError as exc:
        return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
    return JSONResponse({"ok": True, "next": "/review"})


async def download(request: Request) -> Response:
    session = session_of(request)
    key = request.path_params["name"]
    if key not in DOWNLOADS:
        return error_page("没有这个下载项", status=404)
    space = _workspace(session)

    def work() -> bytes:
        if key == "blank.xlsx":  # for the chosen layout: one without 公开10表 asks for its figures elsewhere
            from narrate.rendering import absent_tables
            from narrate.writers.workbook import write_workbook

            absent = absent_tables(_profile_choice(request.query_params.get("profile")))
            target = session.new_path(".xlsx")
            call(write_workbook, target, None, absent)
            return target.read_bytes()
        if key in ("into.docx", "lint-review.docx"):
            done = session.state.get(key)
            if done is None:
                raise WebError("还没有生成这个文件，请先上传")
            return done.read_bytes()
        if space is None:
            raise WebError("请先打开数据文件")
        if key == "chapter.md":
            return space.chapter("md")
        if key.startswith("chapter"):
            return space.chapter("docx", review=key == "chapter-review.docx")
        if space.error:
            raise WebError(space.error)
        return space.figures_file(key.rsplit(".", 1)[1], session.new_path(".xlsx"))

    try:
        data = await run_in_threadpool(_locked, session, work)
    except WebError as exc:
        return error_page(str(exc), back="/review" if space else "/")
    unit = f"{space.figures.unit.name}{space.figures.unit.year}年度" if space is not None else ""
    return _attachment(key, data, unit)


async def into(request: Request) -> Response:
    session = session_of(request)
    space = _workspace(session)
    try:
        if space is None:
            raise WebError("请先打开数据文件")
        path, name = await _upload(request, session, (".docx",), "本单位的决算公开文件")
        review_mode = request.query_params.get("review") == "1"

        def work() -> int:
            data, count = space.into(path, name, review_mode)
            result = session.new_path(".docx")
            result.write_bytes(data)
            session.state["into.docx"] = result
            return count

        count = await run_in_threadpool(_locked, session, work)
    except WebError as exc:
        return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
    return JSONResponse({"ok": True, "next": "/download/into.docx", "message": f"已在 {name} 中插入 {count} 段"})


async def lint_upload(request: Request) -> Response:
    session = session_of(request)
    try:
        profile = _profile_choice(request.query_params.get("profile"))
        path, name = await _upload(request, session, LINT_SUFFIXES, "要核对的文件")
        space = _workspace(session)
        figures = space.figures if space is not None and request.query_params.get("figures") == "1" else None

        def work() -> dict[str, Any]:
            report = lint_file(path, name, figures, profile)
            result = {"name": name, "report": report, "word": path.suffix == ".docx"}
            if result["word"]:
                out = session.new_path(".docx")
                out.write_bytes(lint_review(path, name, report))
                session.state["lint-review.docx"] = out
            return result

        session.state["lint"] = await run_in_threadpool(_locked, session, work)
    except WebError as exc:
        session.state["lint_error"] = str(exc)
        return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
    return JSONResponse({"ok": True, "next": "/lint"})


# ------------------------------------------------------------------ guard: session cookie, token, host
class Guard:
    """ASGI middleware: the Host header (loopback binding), the access token (other bindings), the
    session cookie (a new session for a browser without a live one), safety headers on every response."""

    def __init__(self, app: Any, store: SessionStore, token: str | None, hosts: tuple[str, ...] | None) -> None:
        self.app, self.store, self.token, self.hosts = app, store, token, hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        extra: list[tuple[bytes, bytes]] = []

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()] + extra
                message = {**message, "headers": headers}
            await send(message)

        if self.hosts is not None and request.headers.get("host", "").rsplit(":", 1)[0] not in self.hosts:
            return await error_page("拒绝访问：地址不符（只接受本机地址）", 403)(scope, receive, send_with_headers)
        if self.token is not None:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return await error_page("需要访问口令：请使用启动 narrate serve 时显示的完整网址（含 ?token=…）",
                                        403)(scope, receive, send_with_headers)
            if request.query_params.get("token"):
                extra.append(_cookie(TOKEN_COOKIE, self.token))
        if not scope["path"].startswith("/static/"):
            session = self.store.get(request.cookies.get(COOKIE))
            if session is None:
                session = self.store.create()
                extra.append(_cookie(COOKIE, session.id))
            scope["narrate.session"] = session

        await self.app(scope, receive, send_with_headers)


def _cookie(name: str, value: str) -> tuple[bytes, bytes]:
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    cookie[name]["path"] = "/"
    cookie[name]["httponly"] = True
    cookie[name]["samesite"] = "Strict"
    return b"set-cookie", cookie.output(header="").strip().encode()


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_page("没有这个页面", status=404)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error_page("不支持这种请求", status=405)


async def _failed(request: Request, exc: Exception) -> Response:
    LOG.exception("narrate serve：处理 %s 时出错", request.url.path)
    return error_page("服务器处理时出错（详情见启动 narrate serve 的窗口）；请返回重试，或把该窗口中的信息发给技术人员",
                      status=500)


def create_app(store: SessionStore | None = None, token: str | None = None,
               loopback: bool = True) -> Any:
    """The ASGI application.  ``loopback``: accept only Host headers naming this machine (against DNS
    rebinding); ``token``: required on every request (as ?token= once, then a cookie)."""
    store = SessionStore() if store is None else store
    routes = [
        Route("/", start),
        Route("/review", review),
        Route("/lint", lint_page),
        Route("/upload", upload, methods=["POST"]),
        Route("/example", open_example, methods=["POST"]),
        Route("/api/text", set_text, methods=["POST"]),
        Route("/api/profile", set_profile, methods=["POST"]),
        Route("/into", into, methods=["POST"]),
        Route("/lint/upload", lint_upload, methods=["POST"]),
        Route("/download/{name}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        yield
        store.close()

    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_allowed, Exception: _failed},
                    lifespan=lifespan)
    app.state.store = store
    hosts = ("127.0.0.1", "localhost", "[::1]") if loopback else None
    guard = Guard(app, store, token, hosts)
    return guard


def new_token() -> str:
    return secrets.token_urlsafe(16)
