// The playground draws what the command line draws: each reference design rendered
// through the WebAssembly build (web/dist/hld.wasm) must equal its committed SVG
// (designs/*.svg, written by `hld render`) byte for byte. Prints the timings.
// Run by tests/it/playground.rs: node web/test/render.mjs
import { readdirSync, readFileSync } from "node:fs";
import { load } from "../src/hld.js";

const root = new URL("../../", import.meta.url);
const wasm = readFileSync(new URL("web/dist/hld.wasm", root));
const started = performance.now();
const call = await load(wasm);
const loaded = performance.now() - started;
const designs = new URL("designs/", root);
const failures = [];
const times = [];
for (const file of readdirSync(designs).filter((f) => f.endsWith(".hld")).sort()) {
  const text = readFileSync(new URL(file, designs), "utf8");
  const expected = readFileSync(new URL(file.replace(/\.hld$/, ".svg"), designs), "utf8");
  const begun = performance.now();
  const answer = call({ command: "render", files: { [file]: text }, root: file });
  times.push(performance.now() - begun);
  if (answer.svg !== expected) {
    const at = [...(answer.svg ?? "")].findIndex((c, i) => c !== expected[i]);
    failures.push(`${file}: differs from designs/${file.replace(/\.hld$/, ".svg")} at ${at}`);
  }
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
// What a keystroke costs on a 100-component design: the page's `all` request (check,
// draw, estimate, what-if), timed, not asserted (BENCHMARKS.md has the figures).
const lines = ["client users { dau: 10M, requests: 20/day }", "lb front", "users -> front"];
lines.push("queue events", "worker digest", "s0_0 -> events", "events -> digest");
for (let region = 0; region < 4; region++) {
  lines.push(`region r${region} {`);
  for (let i = 0; i < 8; i++) {
    const s = `s${region}_${i}`;
    lines.push(`  service ${s} { replicas: 3 }`, `  cache ${s}_cache { caches: ${s}_db }`);
    lines.push(`  database ${s}_db { replicas: 3, backup: true }`);
    lines.push(`  ${s} -> ${s}_cache`, `  ${s} -> ${s}_db`);
  }
  lines.push("}");
  for (let i = 0; i < 8; i++) lines.push(`front -> s${region}_${i}`);
}
const hundred = lines.join("\n") + "\n";
const keystrokes = [];
for (let i = 0; i < 20; i++) {
  const begun = performance.now();
  const answer = call({ command: "all", files: { "design.hld": hundred }, root: "design.hld" });
  keystrokes.push(performance.now() - begun);
  if (!answer.svg) throw new Error("the 100-component design draws");
}
const keystroke = keystrokes.sort((a, b) => a - b)[keystrokes.length >> 1];
const components = (hundred.match(/^\s*(client|lb|service|cache|database|queue|worker) /gm) ?? []).length;
const first = times[0];
const median = [...times].sort((a, b) => a - b)[times.length >> 1];
console.log(`ok: ${times.length} designs byte-identical; instantiate ${loaded.toFixed(0)} ms, first render ${first.toFixed(1)} ms, median ${median.toFixed(1)} ms; ${components} components: ${keystroke.toFixed(1)} ms per redraw (median of 20)`);
