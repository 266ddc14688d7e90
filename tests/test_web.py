"""narrate serve at the HTTP level (always run): upload, review, typed reasons, downloads, safety."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette", reason="网页版依赖未安装（pip install -e '.[test]'）")

from starlette.testclient import TestClient  # noqa: E402

import narrate  # noqa: E402
from narrate.web import create_app  # noqa: E402
from narrate.web.sessions import SessionStore  # noqa: E402
from web_helpers import (REASON_PATH, broken_workbook, docx_paragraphs, example_workbook,  # noqa: E402
                         without_reason)

BASE = "http://127.0.0.1"


@pytest.fixture
def store():
    store = SessionStore()
    yield store
    store.close()


@pytest.fixture
def client(store):
    with TestClient(create_app(store), base_url=BASE, raise_server_exceptions=False) as c:
        yield c


def upload(client, path: Path, name: str | None = None, **params):
    return client.post("/upload", params={"name": name or path.name, **params}, content=path.read_bytes())


def test_example_workbook_upload_shows_chapter_without_errors(client, tmp_path):
    answer = upload(client, example_workbook(tmp_path))
    assert answer.status_code == 200 and answer.json() == {"ok": True, "next": "/review"}
    page = client.get("/review").text
    assert "核对通过：错误 0 处" in page
    assert "第三部分" in page and "class=\"num\"" in page
    assert "尾数误差" in page  # quiet info, folded
    assert "Traceback" not in page


def test_numbers_carry_formula_and_sources(client, example_document):
    client.post("/example", data={"profile": ""})
    page = client.get("/review").text
    entry = next(e for e in narrate.explain(example_document) if e.formula)
    assert f'data-formula="{entry.formula}"' in page
    assert "；".join(entry.sources) in page


def test_broken_cell_named_on_the_page(client, tmp_path):
    path, sheet, cell = broken_workbook(tmp_path)
    answer = upload(client, path, "本单位.xlsx")
    assert answer.status_code == 400
    message = answer.json()["error"]
    assert f"{sheet}!{cell}" in message and "本单位.xlsx" in message
    assert str(tmp_path) not in message and "narrate-web-" not in message
    page = client.get("/").text
    assert f"{sheet}!{cell}" in page and "Traceback" not in page


def test_typed_reason_updates_the_paragraph_and_the_downloads(client, tmp_path):
    upload(client, without_reason(tmp_path))
    page = client.get("/review").text
    assert f'data-path="{REASON_PATH}"' in page
    assert "需说明原因" in page
    block = int(re.search(rf'data-item="{re.escape(REASON_PATH)}".*?data-block="(\d+)"', page, re.S).group(1))
    reasons = page[page.index('id="group-reasons"'):]
    assert f'href="#p-{block}"' in reasons[:reasons.index("</section>")]  # the finding links to its paragraph
    reason = "新增城乡居民意外伤害保险项目（测试）"
    answer = client.post("/api/text", json={"path": REASON_PATH, "text": reason}).json()
    assert answer["ok"] and answer["filled"] == [REASON_PATH]
    assert [b["index"] for b in answer["blocks"]] == [block]
    assert reason in answer["blocks"][0]["html"]
    assert "需说明原因" not in answer["findings"]
    # kept server-side: a reload shows it
    page = client.get("/review").text
    assert reason in page and f"{reason}</textarea>" in page
    # the figures back, with the reason; the chapter equals `narrate render` of them
    figures_yaml = client.get("/download/figures.yaml")
    assert figures_yaml.status_code == 200 and reason in figures_yaml.text
    saved = tmp_path / "back.yaml"
    saved.write_bytes(figures_yaml.content)
    chapter = client.get("/download/chapter.docx")
    assert "attachment" in chapter.headers["content-disposition"]
    unit = quote("阳城县人力资源和社会保障局2024年度情况说明.docx")
    assert chapter.headers["content-disposition"].endswith(f"filename*=UTF-8''{unit}")
    rendered = tmp_path / "cli.docx"
    subprocess.run([sys.executable, "-m", "narrate", "render", str(saved), "-o", str(rendered)], check=True,
                   capture_output=True)
    assert any(reason in p for p in docx_paragraphs(chapter.content))
    assert docx_paragraphs(chapter.content) == docx_paragraphs(rendered.read_bytes())
    assert chapter.content == rendered.read_bytes()  # the Word writer is deterministic
    markdown = client.get("/download/chapter.md").content
    assert markdown == narrate.to_bytes(narrate.render(narrate.compute(narrate.load(saved))), "md")
    workbook = client.get("/download/figures.xlsx")
    back = tmp_path / "back.xlsx"
    back.write_bytes(workbook.content)
    assert narrate.load(back) == narrate.load(saved)
    review = client.get("/download/chapter-review.docx")
    assert b"comments.xml" in review.content


def test_missing_uses_can_be_typed(client, tmp_path):
    path = "general_budget.functions.210.uses"
    upload(client, without_reason(tmp_path, (path,)))
    page = client.get("/review").text
    assert f'data-path="{path}"' in page and "主要用于" in page
    answer = client.post("/api/text", json={"path": path, "text": "职工医疗保险（测试）"}).json()
    assert answer["ok"] and any("用于职工医疗保险（测试）" in b["html"] for b in answer["blocks"])


def test_a_late_older_text_does_not_undo_a_newer_one(client, tmp_path):
    upload(client, without_reason(tmp_path))
    assert client.post("/api/text", json={"path": REASON_PATH, "text": "新的", "version": 2}).json()["ok"]
    assert client.post("/api/text", json={"path": REASON_PATH, "text": "旧的", "version": 1}).json()["ok"]
    text = client.get("/download/figures.yaml").text
    assert "新的" in text and "旧的" not in text


def test_clearing_a_reason_and_unknown_fields(client, tmp_path):
    upload(client, without_reason(tmp_path))
    client.post("/api/text", json={"path": REASON_PATH, "text": "原因甲"})
    answer = client.post("/api/text", json={"path": REASON_PATH, "text": "  "}).json()
    assert answer["ok"] and answer["filled"] == []
    refused = client.post("/api/text", json={"path": "unit.name", "text": "x"})
    assert refused.status_code == 400 and "没有可填写的字段" in refused.json()["error"]
    bad = client.post("/api/text", content=b"not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]


def test_rule_errors_block_the_chapter_download(client, tmp_path):
    from narrate.dump import figures_data, to_yaml

    data = figures_data(narrate.load(narrate.example_path()))
    data["tables"]["t01"]["income_total"] = data["tables"]["t01"]["income_total"] + 100
    path = tmp_path / "wrong.yaml"
    path.write_text(to_yaml(narrate.figures_from_data(data)), encoding="utf-8")
    assert upload(client, path).status_code == 200
    page = client.get("/review").text
    assert "核对未通过" in page and "group-errors" in page and 'id="draft"' in page
    refused = client.get("/download/chapter.docx")
    assert refused.status_code == 400 and "核对未通过" in refused.text
    assert client.get("/download/figures.yaml").status_code == 200  # the data can still be taken back to fix


def test_profile_choice(client):
    client.post("/example", data={"profile": "shanghai-2024"})
    assert "shanghai-2024" in client.get("/review").text
    answer = client.post("/api/profile", json={"profile": "default"})
    assert answer.json()["ok"]
    assert client.post("/api/profile", json={"profile": "../../etc"}).status_code == 400


def test_blank_workbook_and_example(client, tmp_path):
    import io

    import openpyxl

    blank = client.get("/download/blank.xlsx")
    assert blank.status_code == 200 and blank.content[:2] == b"PK"
    assert "公开10表" in openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames
    nine = client.get("/download/blank.xlsx", params={"profile": "central-style"})  # the start page's form
    assert "公开10表" not in openpyxl.load_workbook(io.BytesIO(nine.content)).sheetnames
    assert client.get("/download/blank.xlsx", params={"profile": "../etc"}).status_code == 400
    assert client.post("/example", data={"profile": ""}, follow_redirects=False).headers["location"] == "/review"


def test_into_inserts_the_chapter(client, tmp_path):
    import docx

    target = docx.Document()
    target.add_paragraph("某单位2024年度部门决算公开")
    target.add_paragraph("{{情况说明}}")
    target.add_paragraph("{{名词解释}}")
    buffer = io.BytesIO()
    target.save(buffer)
    client.post("/example", data={"profile": ""})
    answer = client.post("/into", params={"name": "本单位.docx"}, content=buffer.getvalue())
    assert answer.status_code == 200 and answer.json()["next"] == "/download/into.docx"
    paragraphs = docx_paragraphs(client.get("/download/into.docx").content)
    assert paragraphs[0] == "某单位2024年度部门决算公开" and "{{情况说明}}" not in paragraphs
    assert any(p.startswith("第三部分") for p in paragraphs)
    refused = client.post("/into", params={"name": "空.docx"}, content=_docx_with("没有占位符"))
    assert refused.status_code == 400 and "空.docx" in refused.json()["error"]


def _docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_lint_upload_and_review(client, example_document):
    data = narrate.to_bytes(example_document, "docx")
    answer = client.post("/lint/upload", params={"name": "情况说明.docx"}, content=data)
    assert answer.status_code == 200
    page = client.get("/lint").text
    assert "情况说明.docx：未发现错误" in page
    review = client.get("/download/lint-review.docx")
    assert review.status_code == 200 and review.content[:2] == b"PK"
    wrong = client.post("/lint/upload", params={"name": "x.md"},
                        content="第三部分 情况说明\n一、收入支出决算总体情况说明\n2024年度收入总计100.00万元，比上年增长50.00%。".encode())
    assert wrong.status_code == 200
    assert "x.md" in client.get("/lint").text


# ------------------------------------------------------------------ safety
def test_upload_type_and_size_limits(client, tmp_path, monkeypatch):
    import narrate.limits as limits

    refused = client.post("/upload", params={"name": "a.exe"}, content=b"MZ")
    assert refused.status_code == 400 and "不支持的文件" in refused.json()["error"]
    assert client.post("/upload", params={"name": "a.yaml"}, content=b"").status_code == 400
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, max_input_bytes=1000))
    big = client.post("/upload", params={"name": "a.yaml"}, content=b"x" * 5000)
    assert big.status_code == 400 and "文件过大" in big.json()["error"]
    garbage = client.post("/upload", params={"name": "a.xlsx"}, content=b"PK\x03\x04garbage")
    assert garbage.status_code == 400 and "a.xlsx" in garbage.json()["error"]


def test_uploads_stay_in_the_session_folder(client, store, tmp_path):
    assert upload(client, example_workbook(tmp_path), name="../../逃逸.xlsx").status_code == 200
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert files and all(p.parent.parent == store.root for p in files)
    assert not any("逃逸" in p.name for p in files)


def test_unexpected_error_is_a_chinese_page(client, monkeypatch):
    from narrate.web import workspace

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(workspace.Workspace, "open", broken)
    answer = client.post("/example", data={"profile": ""})
    assert answer.status_code == 500 and "服务器处理时出错" in answer.text
    assert "boom" not in answer.text and "Traceback" not in answer.text
    assert "没有这个页面" in client.get("/nowhere").text


def test_foreign_host_header_refused(store):
    with TestClient(create_app(store), base_url="http://evil.example") as c:
        assert c.get("/").status_code == 403


def test_token_required_off_loopback(store):
    app = create_app(store, token="s3cret", loopback=False)
    with TestClient(app, base_url="http://192.0.2.1") as c:
        assert c.get("/").status_code == 403
        assert c.get("/", params={"token": "wrong"}).status_code == 403
        assert c.get("/", params={"token": "s3cret"}).status_code == 200
        assert c.get("/").status_code == 200  # the token is now a cookie


def test_sessions_expire_with_their_files():
    now = [0.0]
    store = SessionStore(ttl=100, clock=lambda: now[0])
    try:
        session = store.create()
        (session.folder / "f1.xlsx").write_bytes(b"x")
        now[0] = 50
        assert store.get(session.id) is session
        now[0] = 151
        assert store.get(session.id) is None and not session.folder.exists()
    finally:
        store.close()
    assert not store.root.exists()


def test_sessions_are_capped():
    store = SessionStore(max_sessions=3)
    try:
        sessions = [store.create() for _ in range(5)]
        assert len(store) == 3 and not sessions[0].folder.exists() and store.get(sessions[4].id)
    finally:
        store.close()


def test_twenty_parallel_sessions_do_not_mix(tmp_path):
    """20 browsers at once against a real server: each sees and downloads only its own reason."""
    import httpx2 as httpx

    from narrate.web.server import start_in_thread

    figures = without_reason(tmp_path).read_bytes()
    store = SessionStore()
    server, thread, url = start_in_thread(create_app(store))
    results: dict[int, tuple[str, list[str]]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def one(n: int) -> None:
        try:
            with httpx.Client(base_url=url, timeout=120) as c:
                barrier.wait()
                assert c.post("/upload", params={"name": f"单位{n}.yaml"}, content=figures).status_code == 200
                reason = f"第{n}号单位的原因"
                assert c.post("/api/text", json={"path": REASON_PATH, "text": reason}).json()["ok"]
                page = c.get("/review").text
                results[n] = (page, docx_paragraphs(c.get("/download/chapter.docx").content))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 20
    for n, (page, paragraphs) in results.items():
        assert f"单位{n}.yaml" in page and f"第{n}号单位的原因" in page
        others = [m for m in range(20) if m != n]
        text = "\n".join(paragraphs)
        assert f"第{n}号单位的原因" in text
        assert not any(f"第{m}号单位的原因" in text or f"单位{m}.yaml" in page for m in others)
    assert not store.root.exists()  # the server's shutdown removed every session's files


def test_serve_command_starts_and_answers(tmp_path):
    import httpx2 as httpx

    process = subprocess.Popen([sys.executable, "-m", "narrate", "serve", "--no-browser"], stderr=subprocess.PIPE,
                               text=True)
    try:
        line = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group()
        answer = httpx.get(url, timeout=60)
        assert answer.status_code == 200 and "打开本单位的数据文件" in answer.text
        assert answer.headers["x-frame-options"] == "DENY"
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_serve_other_address_gets_a_token():
    from narrate.web.server import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
