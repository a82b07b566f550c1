"use strict";
const diagram = document.getElementById("diagram");
const overlay = document.getElementById("overlay");
const findings = document.getElementById("findings");
const statusLine = document.getElementById("status");
const picker = document.getElementById("view");
const asSequence = document.getElementById("as-sequence");
let zoom = 1;

// The diagram to show: the design, or a flow or scenario drawn over it.
function diagramUrl() {
  const flow = picker.value.startsWith("flow=");
  document.getElementById("sequence-toggle").hidden = !flow;
  if (!picker.value) return "/diagram.svg";
  return flow && asSequence.checked ? `/diagram.svg?${picker.value}&as=sequence` : `/diagram.svg?${picker.value}`;
}

// The picker lists the design's flows and scenarios; a choice that is gone falls back
// to the design.
async function refreshViews() {
  const response = await fetch("/views", { cache: "no-store" });
  if (!response.ok) return;
  const views = await response.json();
  const chosen = picker.value;
  const options = [["", "the design"]];
  for (const f of views.flows) options.push([`flow=${f.id}`, `flow: ${f.label || f.id}`]);
  for (const s of views.scenarios) options.push([`scenario=${s.id}`, `scenario: ${s.label || s.id}`]);
  picker.replaceChildren(...options.map(([value, text]) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = text;
    return option;
  }));
  picker.value = options.some(([value]) => value === chosen) ? chosen : "";
}

async function showDiagram() {
  const response = await fetch(diagramUrl(), { cache: "no-store" });
  if (response.ok) {
    // Swapped in place: the page, its scroll position and the zoom stay.
    diagram.innerHTML = await response.text();
    applyZoom();
  }
  await showSimulation();
  return response.ok;
}

// A timed scenario's run over ten minutes, charted under its picture.
async function showSimulation() {
  const simulation = document.getElementById("simulation");
  const chosen = picker.value.startsWith("scenario=") ? picker.value : "";
  const response = chosen && await fetch(`/simulation.svg?${chosen}`, { cache: "no-store" });
  simulation.innerHTML = response && response.ok ? await response.text() : "";
}
picker.onchange = () => { queue = queue.then(showDiagram); };
asSequence.onchange = () => { queue = queue.then(showDiagram); };

function applyZoom() {
  const svg = diagram.querySelector("svg");
  if (!svg) return;
  const width = parseFloat(svg.getAttribute("width"));
  const height = parseFloat(svg.getAttribute("height"));
  svg.style.width = width * zoom + "px";
  svg.style.height = height * zoom + "px";
  document.getElementById("zoom-reset").textContent = Math.round(zoom * 100) + "%";
}
document.getElementById("zoom-in").onclick = () => { zoom = Math.min(zoom * 1.25, 8); applyZoom(); };
document.getElementById("zoom-out").onclick = () => { zoom = Math.max(zoom / 1.25, 0.1); applyZoom(); };
document.getElementById("zoom-reset").onclick = () => { zoom = 1; applyZoom(); };

// The element a finding is about: a component or group by id, or a link `a->b`.
function elementOf(id) {
  const arrow = id.indexOf("->");
  if (arrow > 0) {
    const from = CSS.escape(id.slice(0, arrow));
    const to = CSS.escape(id.slice(arrow + 2));
    return diagram.querySelector(`g.link[data-from="${from}"][data-to="${to}"]`);
  }
  return diagram.querySelector(`[data-id="${CSS.escape(id)}"]`);
}

function highlight(id) {
  mark(id && elementOf(id));
}

function mark(element) {
  diagram.querySelectorAll(".hld-highlight").forEach((e) => e.classList.remove("hld-highlight"));
  if (element) {
    element.classList.add("hld-highlight");
    element.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
  }
}

// An item of the picture's findings list points at its numbered badge.
diagram.addEventListener("click", (event) => {
  const item = event.target.closest("g.finding-item");
  if (item) mark(diagram.querySelector(`g.finding[data-number="${CSS.escape(item.dataset.number)}"]`));
});

// Every text from the server goes in through textContent: never parsed as markup.
function showDiagnostics(report) {
  findings.replaceChildren();
  for (const d of report.diagnostics) {
    const item = document.createElement("li");
    item.className = d.severity;
    const code = document.createElement("span");
    code.className = "code";
    code.textContent = `${d.severity}[${d.code}]`;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = ` line ${d.line}` + (d.element ? ` · ${d.element}` : "");
    const message = document.createElement("div");
    message.textContent = d.message;
    item.append(code, where, message);
    if (d.help) {
      const help = document.createElement("div");
      help.className = "where";
      help.textContent = "help: " + d.help;
      item.append(help);
    }
    if (d.element) item.onclick = () => highlight(d.element);
    findings.append(item);
  }
  const s = report.summary;
  document.getElementById("summary").textContent =
    `Diagnostics: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos`;
}

function showOverlay(state, report) {
  if (state.ok) {
    overlay.hidden = true;
    overlay.textContent = "";
    return;
  }
  const first = report.diagnostics.find((d) => d.severity === "error");
  overlay.textContent = first
    ? `${first.file}:${first.line}:${first.column}: ${first.code}: ${first.message}`
    : "the design does not compile";
  overlay.hidden = false;
}

async function refresh(state) {
  const report = await (await fetch("/diagnostics", { cache: "no-store" })).json();
  if (state.ok) {
    await refreshViews();
    if (await showDiagram()) diagram.dataset.revision = String(state.revision);
  } else if (!diagram.querySelector("svg")) {
    await refreshViews();
    await showDiagram();
  }
  showDiagnostics(report);
  showOverlay(state, report);
  document.body.dataset.revision = String(state.revision);
  statusLine.textContent = `revision ${state.revision}: ` +
    (state.ok ? `${state.errors} errors, ${state.warnings} warnings` : "does not compile");
}

let queue = Promise.resolve();
const events = new EventSource("/events");
events.addEventListener("update", (event) => {
  const state = JSON.parse(event.data);
  queue = queue.then(() => refresh(state)).catch((e) => { statusLine.textContent = String(e); });
});
events.onerror = () => { statusLine.textContent = "disconnected: is hld watch still running?"; };
