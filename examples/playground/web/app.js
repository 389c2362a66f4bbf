// The playground's page: two editors, the engine (engine.wasm, run by wasm_exec.js),
// and the decision as the citizen and the official see it. Plain JavaScript: no
// framework, no request but for the page's own files.
"use strict";

const $ = (sel) => document.querySelector(sel);

// Words of the citizen's view, by language.
const WORDS = {
  kk: {
    title: "Азамат не оқиды", remedies: "Не өзгертуге болады",
    approved: (d) => `Өтінішіңіз мақұлданды. Тіркеу ${d} бастап күшіне енеді.`,
    rejected: "Өтінішіңіз қабылданбады.", none: "—",
  },
  ru: {
    title: "Что читает гражданин", remedies: "Что можно изменить",
    approved: (d) => `Заявление одобрено. Прикрепление действует с ${d}.`,
    rejected: "Заявление отклонено.", none: "—",
  },
  en: {
    title: "What the citizen reads", remedies: "What would change it",
    approved: (d) => `Your application is approved. The attachment takes effect on ${d}.`,
    rejected: "Your application is rejected.", none: "—",
  },
};

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

// makeEditor wraps a textarea with a gutter of line numbers and a backdrop that marks
// problems at their line and column (columns in characters, from 1).
function makeEditor(root, onChange) {
  const ta = root.querySelector("textarea");
  const back = root.querySelector(".backdrop");
  const gutter = root.querySelector(".gutter");
  let marks = [];
  const sync = () => {
    back.scrollTop = ta.scrollTop;
    back.scrollLeft = ta.scrollLeft;
    gutter.scrollTop = ta.scrollTop;
  };
  const render = () => {
    const lines = ta.value.split("\n");
    const byLine = new Map();
    for (const m of marks) {
      if (m.line > 0) byLine.set(m.line, (byLine.get(m.line) || []).concat(m));
    }
    gutter.innerHTML = lines.map((_, i) => {
      const ms = byLine.get(i + 1);
      return ms ? `<div class="err" title="${esc(ms.map((m) => m.text).join("\n"))}">${i + 1}</div>` : `<div>${i + 1}</div>`;
    }).join("");
    back.innerHTML = lines.map((line, i) => {
      const ms = byLine.get(i + 1);
      if (!ms) return esc(line);
      const chars = Array.from(line);
      const col = Math.min(Math.max(ms[0].column - 1, 0), chars.length);
      let end = col;
      while (end < chars.length && /[\p{L}\p{N}_]/u.test(chars[end])) end++;
      if (end === col) end = col + 1;
      const marked = chars.slice(col, end).join("") || " ";
      return `<span class="errline">${esc(chars.slice(0, col).join(""))}<mark class="err">${esc(marked)}</mark>${esc(chars.slice(end).join(""))}</span>`;
    }).join("\n") + "\n ";
    sync();
  };
  ta.addEventListener("scroll", sync);
  ta.addEventListener("input", () => { render(); onChange(); });
  ta.addEventListener("keydown", (e) => {
    if (e.key === "Tab") { // indent, as a code editor does
      e.preventDefault();
      document.execCommand("insertText", false, "  ");
    }
  });
  return {
    get value() { return ta.value; },
    set value(v) { ta.value = v; ta.scrollTop = 0; ta.scrollLeft = 0; render(); },
    mark(ms) { marks = ms; render(); },
    // go places the cursor at a line and column and scrolls there.
    go(line, column) {
      const lines = ta.value.split("\n");
      let off = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
      off += Array.from(lines[line - 1] || "").slice(0, column - 1).join("").length;
      ta.focus();
      ta.setSelectionRange(off, off);
      const style = getComputedStyle(ta);
      const lh = parseFloat(style.lineHeight) || 18;
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = style.font;
      const cw = ctx.measureText("0").width || 7;
      ta.scrollTop = Math.max(0, (line - 5) * lh);
      ta.scrollLeft = Math.max(0, (column - 30) * cw);
      sync();
    },
  };
}

const state = { lang: "kk", result: null, seq: 0, timer: 0 };
const editors = {};

function decideSoon() {
  clearTimeout(state.timer);
  state.timer = setTimeout(decide, 150);
}

// decide runs the engine on both documents and shows what it gives.
function decide() {
  let r;
  try {
    r = JSON.parse(window.emkhana.decide(editors.rules.value, editors.app.value));
  } catch (err) {
    setStatus("error", "the engine stopped: " + err);
    return;
  }
  state.result = r;
  $("#rule-set").textContent = r.rule_set || "(does not compile)";
  const problems = r.problems || [];
  editors.rules.mark(problems.filter((p) => p.doc === "rules.json"));
  editors.app.mark(problems.filter((p) => p.doc === "application.json"));
  $("#problems-box").hidden = problems.length === 0;
  $("#problems").innerHTML = problems.map((p, i) =>
    `<li class="problem" data-i="${i}"><code>${esc(p.text)}</code>${p.snippet ? `<pre>${esc(p.snippet)}</pre>` : ""}</li>`).join("");
  showOfficial(r.decision);
  showCitizen();
  $("#result").dataset.seq = String(++state.seq);
}

function showOfficial(d) {
  const outcome = $("#outcome");
  outcome.textContent = d ? d.outcome : "not decided";
  outcome.className = d ? d.outcome : "";
  $("#failed").textContent = d ? (d.failed.length ? d.failed.join(", ") : "none") : "–";
  $("#trace tbody").innerHTML = d ? d.trace.map((s) => {
    const facts = Object.entries(s.facts || {}).map(([k, v]) => `${esc(k)} = ${esc(JSON.stringify(v))}`).join("<br>");
    const src = s.source || {};
    return `<tr class="${s.passed ? "" : "failed"}"><td class="rule">${esc(s.rule)}</td>` +
      `<td class="${s.passed ? "ok" : "no"}">${s.passed ? "✓ holds" : "✗ fails"}</td>` +
      `<td class="facts">${facts}</td>` +
      `<td class="source" title="${esc([src.title, src.quote && `“${src.quote}”`, src.reading, src.url].filter(Boolean).join("\n"))}">` +
      `${esc(src.publisher || "")}${src.date ? `, ${esc(src.date)}` : ""}${src.lang ? ` (${esc(src.lang)})` : ""}</td></tr>`;
  }).join("") : "";
  $("#official-json").textContent = d ? JSON.stringify(d.official, null, 2) : "";
}

function formatDate(iso, lang) {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso + "T00:00:00Z"));
  } catch (e) {
    return iso;
  }
}

function showCitizen() {
  const w = WORDS[state.lang];
  const d = state.result && state.result.decision;
  $("#citizen-title").textContent = w.title;
  $("#remedies-title").textContent = w.remedies;
  const verdict = $("#verdict");
  if (!d) {
    verdict.textContent = w.none;
    verdict.className = "";
    $("#messages").innerHTML = "";
    $("#remedies").innerHTML = "";
    return;
  }
  verdict.className = d.outcome;
  verdict.textContent = d.outcome === "approved" ? w.approved(formatDate(d.effective_from, state.lang)) : w.rejected;
  const c = d.citizen[state.lang];
  $("#messages").innerHTML = c.messages.map((m) => `<li data-rule="${esc(m.rule)}">${esc(m.message)}</li>`).join("");
  $("#remedies").innerHTML = c.remedies.map((m) => `<li>${esc(m)}</li>`).join("");
  $("#remedies-title").hidden = c.remedies.length === 0;
}

function setLang(lang) {
  state.lang = lang;
  document.querySelectorAll("#langs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  document.documentElement.lang = lang;
  showCitizen();
}

function setStatus(s, text) {
  const el = $("#status");
  el.dataset.state = s;
  el.textContent = text;
}

async function start() {
  editors.rules = makeEditor($("#rules-editor"), decideSoon);
  editors.app = makeEditor($("#app-editor"), decideSoon);
  $("#langs").addEventListener("click", (e) => { if (e.target.dataset.lang) setLang(e.target.dataset.lang); });
  $("#problems").addEventListener("click", (e) => {
    const li = e.target.closest("li.problem");
    const p = li && state.result.problems[Number(li.dataset.i)];
    if (p && p.line) (p.doc === "rules.json" ? editors.rules : editors.app).go(p.line, p.column);
  });
  setLang("kk");
  const go = new Go();
  const wasm = await WebAssembly.instantiateStreaming(fetch("engine.wasm"), go.importObject);
  go.run(wasm.instance).then(() => setStatus("error", "the engine stopped"));
  const s = JSON.parse(window.emkhana.start());
  const examples = s.examples.map((line) => JSON.parse(line));
  const select = $("#examples");
  select.innerHTML = examples.map((a, i) => `<option value="${i}">${esc(a.id)}</option>`).join("");
  select.addEventListener("change", () => {
    editors.app.value = JSON.stringify(examples[Number(select.value)], null, 2);
    decide();
  });
  editors.rules.value = s.rules;
  editors.app.value = JSON.stringify(examples[0], null, 2);
  decide();
  setStatus("ready", `engine ready: ${s.rule_set}, the newest built-in set`);
}

start().catch((err) => setStatus("error", "cannot start the engine: " + err));
