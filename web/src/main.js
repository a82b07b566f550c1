// The playground page: CodeMirror on the left, hld's drawing on the right, redrawn by
// the worker (hld in WebAssembly) after each pause in typing. Contracts kept for
// tests elsewhere: the drawing is hld's inline <svg> in #diagram, the editor is
// #editor, the findings are #findings > [data-code][data-line], and
// index.html#hld=<base64url of the UTF-8 source> opens a design (the page writes its
// own compressed #z=… form and reads both).
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { darkEditor } from "./theme.js";
import { hld } from "./language.js";

const DEBOUNCE_MS = 30;
const ROOT = "design.hld";
const $ = (selector) => document.querySelector(selector);

const state = {
  examples: [],
  files: {},
  dark: false,
  latest: 0,
  answer: null,
  svg: null,
  refit: true,
  // The flow or scenario drawn over the design (`hld render --flow/--scenario`).
  focus: { flow: null, scenario: null },
  // The practice prompt chosen (kept in share links).
  practice: null,
  timings: { firstDiagramMs: null, lastRenderMs: null, lastRoundTripMs: null },
};
window.hldTimings = state.timings;
// For tests and the console: the editor's text and the line of its cursor.
window.hldPlayground = {
  text: () => editor.state.doc.toString(),
  cursorLine: () => editor.state.doc.lineAt(editor.state.selection.main.head).number,
};
const loadStarted = performance.now();

const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
const sentAt = new Map();
const editorTheme = new Compartment();

const editor = new EditorView({
  parent: $("#editor-pane"),
  state: EditorState.create({
    doc: "",
    extensions: [
      lineNumbers(),
      history(),
      highlightActiveLine(),
      bracketMatching(),
      hld,
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      lintGutter(),
      editorTheme.of([]),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      // The editable element itself is #editor: focusing it and typing edits the design.
      EditorView.contentAttributes.of({ id: "editor", "aria-label": "design source" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) schedule();
      }),
    ],
  }),
});

let timer = 0;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(send, DEBOUNCE_MS);
}

function send() {
  const id = ++state.latest;
  sentAt.set(id, performance.now());
  const files = { ...state.files, [ROOT]: editor.state.doc.toString() };
  worker.postMessage({
    id,
    request: {
      command: "all",
      files,
      root: ROOT,
      theme: state.dark ? "dark" : "light",
      ...state.focus,
      view: state.focus.flow && $("#as-sequence").checked ? "sequence" : null,
    },
  });
}

worker.onmessage = ({ data }) => {
  if (data.kind === "simulate") {
    showSimulation(data.answer);
    return;
  }
  if (data.kind === "practice") {
    showPractice(data.command, data.answer);
    return;
  }
  const started = sentAt.get(data.id);
  sentAt.delete(data.id);
  if (data.id !== state.latest) return;
  state.timings.lastRenderMs = data.ms;
  state.timings.lastRoundTripMs = performance.now() - started;
  show(data.answer);
};

function show(answer) {
  state.answer = answer;
  if (answer.error) {
    $("#status").textContent = answer.error;
    return;
  }
  if (answer.svg) {
    state.svg = answer.svg;
    $("#diagram").innerHTML = answer.svg;
    if (state.refit) fit();
    state.refit = false;
    applyView();
    if (state.timings.firstDiagramMs === null) {
      state.timings.firstDiagramMs = performance.now() - loadStarted;
    }
  }
  const { summary } = answer.diagnostics;
  $("#status").textContent = answer.svg
    ? `${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} infos`
    : `does not compile: ${summary.errors} errors (the last good drawing stays)`;
  showFindings(answer.diagnostics.diagnostics);
  showEstimate(answer.tables);
  showFlows(answer.tables);
  showWhatIf(answer.what_if);
  showFocusChoices(answer.flows ?? [], answer.scenarios ?? []);
  showSimulateChoices(answer.scenarios ?? []);
  editor.dispatch(setDiagnostics(editor.state, answer.diagnostics.diagnostics
    .filter((d) => d.file === ROOT)
    .map(toEditorDiagnostic)));
}

// Lines and columns are 1-based, columns in Unicode scalar values (docs/cli.md).
function offset(line, column) {
  const doc = editor.state.doc;
  const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
  let position = at.from;
  let scalars = 1;
  for (const character of at.text) {
    if (scalars >= column) break;
    position += character.length;
    scalars += 1;
  }
  return Math.min(position, at.to);
}

function toEditorDiagnostic(d) {
  const from = offset(d.line, d.column);
  const to = Math.max(from, offset(d.end_line, d.end_column));
  return {
    from,
    to,
    severity: d.severity === "info" ? "info" : d.severity,
    source: d.code,
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
  };
}

function showFindings(diagnostics) {
  const list = $("#findings");
  list.replaceChildren(...diagnostics.map((d) => {
    const item = document.createElement("li");
    item.className = `finding ${d.severity}`;
    item.dataset.code = d.code;
    item.dataset.line = String(d.line);
    item.tabIndex = 0;
    const code = document.createElement("code");
    code.textContent = d.code;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = d.file === ROOT ? `line ${d.line}` : `${d.file}:${d.line}`;
    item.append(code, " ", d.message, " ", where);
    const go = () => goToLine(d.line);
    item.addEventListener("click", go);
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter") go();
    });
    return item;
  }));
}

function goToLine(number) {
  const line = editor.state.doc.line(Math.min(Math.max(number, 1), editor.state.doc.lines));
  editor.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
  editor.focus();
}

function table(head, rows) {
  const element = document.createElement("table");
  const header = element.createTHead().insertRow();
  for (const name of head) {
    const cell = document.createElement("th");
    cell.textContent = name;
    header.append(cell);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const line = body.insertRow();
    for (const value of row) line.insertCell().textContent = value ?? "—";
  }
  return element;
}

// The estimate's tables as the command line prints them (formatted by hld in the
// wasm), so a figure reads the same here as in a terminal: a header row, then rows.
function showEstimate(tables) {
  if (!tables) return;
  const [head, ...rows] = tables.components;
  $("#estimate").replaceChildren(table(head, rows));
}

function showFlows(tables) {
  const [head, ...rows] = tables?.flows ?? [[]];
  $("#tab-flows").hidden = rows.length === 0;
  $("#flows").replaceChildren(table(head, rows));
}

function showWhatIf(whatIf) {
  const scenarios = whatIf?.scenarios ?? [];
  $("#tab-whatif").hidden = scenarios.length === 0;
  $("#whatif").replaceChildren(...scenarios.map((s) => {
    const section = document.createElement("section");
    const title = document.createElement("h3");
    title.textContent = `${s.id}: fail ${s.fail.join(", ") || "—"}`;
    section.append(title, table(
      ["flow", "outcome", "why"],
      s.outcomes.map((o) => [o.flow ?? o.client, o.outcome, o.why ?? o.cause]),
    ));
    return section;
  }));
}

// The picker: the whole design, or one flow or scenario drawn over it.
function showFocusChoices(flows, scenarios) {
  const picker = $("#focus");
  const choices = [["", "whole design"], ...flows.map((f) => [`flow:${f}`, `flow ${f}`]),
    ...scenarios.map((s) => [`scenario:${s}`, `scenario ${s}`])];
  const key = choices.map(([value]) => value).join("|");
  if (picker.dataset.choices !== key) {
    const current = picker.value;
    picker.replaceChildren(...choices.map(([value, label]) => new Option(label, value)));
    picker.value = choices.some(([value]) => value === current) ? current : "";
    picker.dataset.choices = key;
    if (picker.value !== current) pick("");
  }
  picker.hidden = choices.length === 1;
}
function pick(value) {
  const [kind, id] = value.split(":");
  state.focus = { flow: kind === "flow" ? id : null, scenario: kind === "scenario" ? id : null };
  $("#sequence-toggle").hidden = kind !== "flow";
}
$("#as-sequence").addEventListener("change", () => send());
$("#focus").addEventListener("change", (event) => {
  pick(event.target.value);
  send();
});

// Simulate: ten minutes of a scenario, or of a traffic shape, on request (a run is
// heavier than a keystroke's redraw). The answer is hld's own table and charts.
const SHAPES = [
  ["traffic:steady", "the design's own traffic"],
  ["traffic:spike(3x, at: 1min, for: 2min)", "a spike: 3x for 2 minutes"],
  ["traffic:ramp(to: 3x, over: 10min)", "a ramp to 3x"],
  ["traffic:diurnal", "a day, average to peak"],
];
function showSimulateChoices(scenarios) {
  const picker = $("#simulate-what");
  const choices = [...scenarios.map((s) => [`scenario:${s}`, `scenario ${s}`]), ...SHAPES];
  const key = choices.map(([value]) => value).join("|");
  if (picker.dataset.choices === key) return;
  const current = picker.value;
  picker.replaceChildren(...choices.map(([value, label]) => new Option(label, value)));
  if (choices.some(([value]) => value === current)) picker.value = current;
  picker.dataset.choices = key;
}
let simulations = 0;
$("#simulate-run").addEventListener("click", () => {
  const [kind, ...rest] = $("#simulate-what").value.split(":");
  const what = rest.join(":");
  const files = { ...state.files, [ROOT]: editor.state.doc.toString() };
  $("#simulate-table").textContent = "running…";
  worker.postMessage({
    id: `simulate-${++simulations}`,
    kind: "simulate",
    request: {
      command: "simulate",
      files,
      root: ROOT,
      scenario: kind === "scenario" ? what : null,
      traffic: kind === "traffic" ? what : null,
    },
  });
});
function showSimulation(answer) {
  $("#simulate-table").textContent = answer.error ?? answer.table;
  $("#simulate-charts").innerHTML = answer.charts ?? "";
}

// Practice: pick a prompt, start from its starter, grade on demand; a failed check shows
// its hints one at a time. The prompt rides in the share link (`&practice=NAME`), so a
// shared link grades the same design the same way.
let practiceRequests = 0;
function askPractice(command) {
  const files = { ...state.files, [ROOT]: editor.state.doc.toString() };
  worker.postMessage({
    id: `practice-${++practiceRequests}`,
    kind: "practice",
    command,
    request: { command, files, root: ROOT, prompt: $("#practice-prompt").value || null },
  });
}
function showPractice(command, answer) {
  if (answer.error) {
    $("#practice-score").textContent = answer.error;
    return;
  }
  if (command === "practice-list") {
    $("#practice-prompt").replaceChildren(...answer.prompts.map((p) => new Option(`${p.name}: ${p.title}`, p.name)));
    if (state.practice) $("#practice-prompt").value = state.practice;
    if (state.practice) askPractice("practice-grade");
  } else if (command === "practice-start") {
    $("#practice-text").textContent = answer.text;
    openDesign(answer.starter);
  } else if (command === "practice-grade") {
    showGrade(answer);
  }
}
function showGrade(grade) {
  $("#practice-score").textContent = `${grade.prompt}: ${grade.score}%`;
  const sections = grade.dimensions.filter((d) => d.max > 0).map((d) => {
    const section = document.createElement("section");
    section.dataset.dimension = d.name;
    const title = document.createElement("h3");
    title.textContent = `${d.name} ${d.score}/${d.max}`;
    const list = document.createElement("ul");
    for (const c of d.checks) {
      const item = document.createElement("li");
      item.dataset.check = c.check;
      item.dataset.passed = String(c.passed);
      item.textContent = `${c.passed ? "pass" : "fail"}: ${c.check}`;
      if (!c.passed) {
        const hints = document.createElement("ol");
        hints.className = "hints";
        const more = document.createElement("button");
        more.type = "button";
        more.className = "more-hints";
        more.textContent = "a hint";
        more.addEventListener("click", () => {
          const next = c.hints[hints.children.length];
          if (next === undefined) return;
          const hint = document.createElement("li");
          hint.textContent = next;
          hints.append(hint);
          more.textContent = "another hint";
          more.hidden = hints.children.length >= c.hints.length;
        });
        item.append(hints, more);
      }
      list.append(item);
    }
    section.append(title, list);
    return section;
  });
  $("#practice-grade-result").replaceChildren(...sections);
}
$("#practice-start").addEventListener("click", () => {
  state.practice = $("#practice-prompt").value;
  askPractice("practice-start");
});
$("#practice-grade").addEventListener("click", () => {
  state.practice = $("#practice-prompt").value;
  askPractice("practice-grade");
});

// Tabs.
for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    for (const other of document.querySelectorAll("[role=tab]")) {
      other.setAttribute("aria-selected", String(other === tab));
      $(`#${other.getAttribute("aria-controls")}`).hidden = other !== tab;
    }
  });
}

// Pan and zoom: the wheel zooms about the pointer, dragging pans.
const view = { scale: 1, x: 0, y: 0 };
function applyView() {
  const svg = $("#diagram > svg");
  if (svg) svg.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}
$("#diagram").addEventListener("wheel", (event) => {
  event.preventDefault();
  const factor = Math.exp(-event.deltaY * 0.0015);
  const box = $("#diagram").getBoundingClientRect();
  const px = event.clientX - box.left;
  const py = event.clientY - box.top;
  view.x = px - (px - view.x) * factor;
  view.y = py - (py - view.y) * factor;
  view.scale *= factor;
  applyView();
}, { passive: false });
let drag = null;
$("#diagram").addEventListener("pointerdown", (event) => {
  drag = { x: event.clientX - view.x, y: event.clientY - view.y };
  $("#diagram").setPointerCapture(event.pointerId);
});
$("#diagram").addEventListener("pointermove", (event) => {
  if (!drag) return;
  view.x = event.clientX - drag.x;
  view.y = event.clientY - drag.y;
  applyView();
});
$("#diagram").addEventListener("pointerup", () => { drag = null; });
// The whole drawing in view, never enlarged.
function fit() {
  const svg = $("#diagram > svg");
  const box = $("#diagram").getBoundingClientRect();
  const width = svg?.width.baseVal.value || 1;
  const height = svg?.height.baseVal.value || 1;
  Object.assign(view, { scale: Math.min(box.width / width, box.height / height, 1), x: 0, y: 0 });
}
$("#fit").addEventListener("click", () => {
  fit();
  applyView();
});

// Theme.
$("#theme").addEventListener("click", () => {
  state.dark = !state.dark;
  document.documentElement.classList.toggle("dark", state.dark);
  $("#theme").textContent = state.dark ? "Light" : "Dark";
  editor.dispatch({ effects: editorTheme.reconfigure(state.dark ? darkEditor : []) });
  send();
});

// Downloads.
function download(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
$("#download-svg").addEventListener("click", () => {
  if (state.svg) download(new Blob([state.svg], { type: "image/svg+xml" }), "design.svg");
});
$("#download-png").addEventListener("click", async () => {
  if (!state.svg) return;
  const url = URL.createObjectURL(new Blob([state.svg], { type: "image/svg+xml" }));
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth * 2;
  canvas.height = image.naturalHeight * 2;
  const context = canvas.getContext("2d");
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  URL.revokeObjectURL(url);
  canvas.toBlob((blob) => download(blob, "design.png"), "image/png");
});

// Share links: #hld= plain base64url of the UTF-8 source, #z= the same deflated.
const base64url = (bytes) => btoa(String.fromCharCode(...bytes))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
function unbase64url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
async function pipe(bytes, stream) {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}
async function shareLink() {
  const bytes = new TextEncoder().encode(editor.state.doc.toString());
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"));
  const practice = state.practice ? `&practice=${encodeURIComponent(state.practice)}` : "";
  return `${location.origin}${location.pathname}#z=${base64url(packed)}${practice}`;
}
async function fromFragment(hash) {
  const design = hash.split("&")[0];
  const [key, value] = [design.slice(1, design.indexOf("=")), design.slice(design.indexOf("=") + 1)];
  if (!value) return null;
  if (key === "hld") return new TextDecoder().decode(unbase64url(value));
  if (key === "z") {
    const bytes = await pipe(unbase64url(value), new DecompressionStream("deflate-raw"));
    return new TextDecoder().decode(bytes);
  }
  return null;
}
$("#share").addEventListener("click", async () => {
  const link = await shareLink();
  window.history.replaceState(null, "", link);
  $("#share-link").value = link;
  $("#share-link").hidden = false;
  $("#share-link").select();
  await navigator.clipboard?.writeText(link).catch(() => {});
});

// Examples.
function openDesign(text, files = {}) {
  state.files = files;
  pick("");
  // A new design is shown whole; edits keep the reader's pan and zoom.
  state.refit = true;
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  send();
}
$("#examples").addEventListener("change", (event) => {
  const example = state.examples.find((e) => e.name === event.target.value);
  if (!example) return;
  const siblings = Object.fromEntries(state.examples
    .filter((e) => e.group === example.group && e.name !== example.name)
    .map((e) => [e.file, e.text]));
  openDesign(example.text, siblings);
});

// What a link's fragment holds: `null` when it names no design, else the design or
// `{broken: why}` when it names one that cannot be read (cut short, or not a link of
// this page): the page says so rather than silently showing the default example.
async function linked(hash) {
  if (!/^#(hld|z)=/.test(hash)) return null;
  try {
    const text = await fromFragment(hash);
    return text ?? { broken: "it holds no design" };
  } catch (error) {
    return { broken: "it was cut short or changed on the way" };
  }
}
function notice(text) {
  $("#notice").textContent = text ?? "";
  $("#notice").hidden = !text;
}
// Opens what a link names: its design, its practice prompt; a broken link is said.
async function openLink(hash, fallback) {
  const shared = await linked(hash);
  if (shared?.broken) {
    notice(`This share link cannot be opened: ${shared.broken}. Showing ${fallback ? "an example" : "the design as it was"} instead.`);
    if (fallback) openDesign(fallback);
    return;
  }
  notice(null);
  if (typeof shared === "string") openDesign(shared);
  else if (fallback) openDesign(fallback);
  const practice = new URLSearchParams(hash.slice(1)).get("practice");
  if (practice) {
    state.practice = practice;
    $("#tab-practice").click();
  }
}
// A share link pasted into the address bar of an open page loads it (the page's own
// Share button replaces the URL without a `hashchange`).
window.addEventListener("hashchange", () => openLink(location.hash, null));

async function start() {
  const examples = await fetch("examples.json").then((r) => r.json());
  state.examples = examples;
  for (const [group, label] of [["designs", "Reference designs"], ["language", "Language examples"]]) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = label;
    for (const example of examples.filter((e) => e.group === group)) {
      const option = document.createElement("option");
      option.value = example.name;
      option.textContent = example.name;
      optgroup.append(option);
    }
    $("#examples").append(optgroup);
  }
  const first = examples.find((e) => e.name === "designs/url-shortener.hld") ?? examples[0];
  await openLink(location.hash, first.text);
  askPractice("practice-list");
}
start();
