"""Running the web page: bind (loopback by default, a free port), print the address, open the browser."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import webbrowser
from typing import Any, Callable

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle delay on two-part responses
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str, token: str | None = None) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("localhost", "0.0.0.0", "::") else host
    shown = f"[{shown.strip('[]')}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def server_for(app: Any) -> Any:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    return uvicorn.Server(config)


def start_in_thread(app: Any, host: str = "127.0.0.1") -> tuple[Any, threading.Thread, str]:
    """Run ``app`` on a free port of ``host`` in a thread; returns (server, thread, url) once it answers.

    Readiness is polled (``server.started``), with a generous guard against a hang."""
    sock = bind(host, 0)
    server = server_for(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("narrate serve 未能启动")
        time.sleep(0.01)
    return server, thread, url_of(sock, host)


def serve(host: str = "127.0.0.1", port: int = 0, token: str | None = None, open_browser: bool = True,
          echo: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl+C).  Another address than loopback needs a token (one is made if none)."""
    from .app import create_app, new_token

    loopback = is_loopback(host)
    if not loopback and not token:
        token = new_token()
    sock = bind(host, port)
    url = url_of(sock, host, token)
    server = server_for(create_app(token=token, loopback=loopback))
    echo(f"narrate serve 已启动：{url}")
    if not loopback:
        echo("注意：本服务可从其他计算机访问，须使用上面含 token 的完整网址"
             + ("（其他计算机把 127.0.0.1 换成本机的 IP 地址）" if host in ("0.0.0.0", "::") else ""))
    echo("用完后在本窗口按 Ctrl+C 停止（停止后上传的文件全部删除）")
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    server.run(sockets=[sock])
