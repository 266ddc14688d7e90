// narrate serve: uploads, typed reasons, number explanations.  Plain JS, no libraries.
"use strict";

function $(sel, root) { return (root || document).querySelector(sel); }
function show(el, text) { if (el) { el.textContent = text; el.classList.remove("hidden"); } }
function hide(el) { if (el) { el.classList.add("hidden"); } }

async function postJSON(url, body) {
  const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify(body), credentials: "same-origin"});
  try { return await r.json(); } catch (e) { return {ok: false, error: "服务器没有回应，请确认 narrate serve 仍在运行"}; }
}

// ------------------------------------------------------------ uploads (drop or choose)
function uploadUrl(zone, file) {
  const params = new URLSearchParams({name: file.name});
  const profile = zone.dataset.profile && $(zone.dataset.profile);
  if (profile && profile.value) { params.set("profile", profile.value); }
  const review = zone.dataset.review && $(zone.dataset.review);
  if (review && review.checked) { params.set("review", "1"); }
  const figures = zone.dataset.figures && $(zone.dataset.figures);
  if (figures && figures.checked) { params.set("figures", "1"); }
  return zone.dataset.upload + "?" + params.toString();
}

async function send(zone, file) {
  const error = $(zone.dataset.error);
  const busy = zone.parentElement.querySelector(".busy");
  hide(error); if (busy) { busy.classList.remove("hidden"); }
  zone.classList.add("working");
  let answer;
  try {
    const r = await fetch(uploadUrl(zone, file), {method: "POST", body: file, credentials: "same-origin"});
    answer = await r.json();
  } catch (e) {
    answer = {ok: false, error: "上传失败：服务器没有回应，请确认 narrate serve 仍在运行"};
  }
  zone.classList.remove("working"); hide(busy);
  if (answer.ok) { window.location.href = answer.next; } else { show(error, answer.error); }
}

document.querySelectorAll("[data-upload]").forEach(function (zone) {
  const input = zone.querySelector("input[type=file]");
  input.addEventListener("change", function () { if (input.files.length) { send(zone, input.files[0]); input.value = ""; } });
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault(); zone.classList.remove("over");
    if (e.dataTransfer.files.length) { send(zone, e.dataTransfer.files[0]); }
  });
});

// ------------------------------------------------------------ layout (profile) on the review page
const reviewProfile = $("#review-profile");
if (reviewProfile) {
  reviewProfile.addEventListener("change", async function () {
    const answer = await postJSON("/api/profile", {profile: reviewProfile.value});
    if (answer.ok) { window.location.reload(); } else { show($("#page-error"), answer.error); }
  });
}

// ------------------------------------------------------------ typed reasons → changed paragraphs
function flash(el) { el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash"); }

function apply(answer) {
  if (answer.chapter !== undefined) {
    $("#chapter").innerHTML = answer.chapter;
  } else {
    answer.blocks.forEach(function (b) {
      const old = document.getElementById("p-" + b.index);
      if (!old) { return; }
      old.outerHTML = b.html;
      flash(document.getElementById("p-" + b.index));
    });
  }
  $("#findings").innerHTML = answer.findings;
  document.querySelectorAll("[data-item]").forEach(function (item) {
    const done = answer.filled.indexOf(item.dataset.item) >= 0;
    item.classList.toggle("done", done);
    item.querySelector(".state").textContent = done ? "已填写" : "待填写";
  });
}

const pending = new Map();
let sent = 0;    // version of the last text sent: the server ignores an older one arriving late
let applied = 0; // version of the last answer shown: a late answer to an older text is not shown
async function save(area) {
  pending.delete(area);
  const text = area.value;
  area.dataset.sent = text;
  const version = sent = Math.max(Date.now(), sent + 1);
  const answer = await postJSON("/api/text", {path: area.dataset.path, text: text, version: version});
  if (version < applied) { return; }
  applied = version;
  if (answer.ok) { hide($("#page-error")); apply(answer); } else { show($("#page-error"), answer.error); }
}

document.querySelectorAll("textarea[data-path]").forEach(function (area) {
  area.dataset.sent = area.value;
  area.addEventListener("input", function () {
    clearTimeout(pending.get(area));
    pending.set(area, setTimeout(function () { save(area); }, 300));
  });
  area.addEventListener("change", function () {
    clearTimeout(pending.get(area));
    if (area.dataset.sent !== area.value) { save(area); }
  });
});

document.addEventListener("click", function (e) {
  const link = e.target.closest("a.goto");
  const target = link && document.getElementById("p-" + link.dataset.block);
  if (target) { flash(target); }
});

// ------------------------------------------------------------ a number: its formula and sources
const panel = $("#explain");
if (panel) {
  document.addEventListener("click", function (e) {
    const num = e.target.closest("button.num");
    if (!num) { return; }
    document.querySelectorAll("button.num.on").forEach(function (b) { b.classList.remove("on"); });
    num.classList.add("on");
    $("#explain-label").textContent = num.textContent + "　" + num.dataset.label;
    $("#explain-formula").textContent = num.dataset.formula ? "= " + num.dataset.formula : "照表列示（不需计算）";
    $("#explain-sources").textContent = num.dataset.sources;
    $("#explain-section").textContent = num.dataset.section;
    panel.classList.remove("hidden");
  });
  $("#explain-close").addEventListener("click", function () { hide(panel); });
}
