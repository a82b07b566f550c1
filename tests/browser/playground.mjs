// The playground (web/dist) in headless Chromium, served from 127.0.0.1 by a static
// server here: a share link draws its design and lists its findings; typing a component
// redraws with it; clicking a finding moves the editor to its line; an example loads;
// the share link of an edited design reproduces it in a fresh page, and one pasted into
// the open page loads it; a broken link says so; the dark theme's token colours meet
// WCAG AA; the drawing
// downloads as SVG and PNG; the picker draws a scenario and a flow, a flow as a sequence; the Simulate tab
// runs a scenario and a traffic shape; the Practice tab starts, grades and hints; no
// page error.
// Run by tests/it/playground.rs: node playground.mjs DIST DESIGN CHROMIUM
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { launch } from "./launch.mjs";

const [dist, designFile, executablePath] = process.argv.slice(2);
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
const server = createServer((request, response) => {
  const path = normalize(new URL(request.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
  try {
    const body = readFileSync(join(dist, path));
    response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const design = readFileSync(designFile, "utf8");
const base64url = (text) => Buffer.from(text, "utf8").toString("base64url");
const errors = [];
const browser = await launch(executablePath);
const watch = (page) => {
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return page;
};
const step = (name) => console.log(`step: ${name}`);
try {
  const page = watch(await browser.newPage({ viewport: { width: 1400, height: 900 } }));
  step("a share link draws its design and lists its findings");
  await page.goto(`${base}index.html#hld=${base64url(design)}`);
  await page.waitForSelector("#diagram > svg g.component#c-api", { timeout: 10000 });
  await page.waitForSelector("#findings [data-code][data-line]", { timeout: 10000 });
  const findings = await page.$$eval("#findings [data-code]", (items) =>
    items.map((i) => ({ code: i.dataset.code, line: Number(i.dataset.line) })));
  if (!findings.some((f) => f.code === "single-point-of-failure")) {
    throw new Error(`the findings list its findings: ${JSON.stringify(findings)}`);
  }
  const timings = await page.evaluate(() => window.hldTimings);

  step("typing a component redraws with it");
  await page.focus("#editor");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\nservice typed_here\napi -> typed_here\n");
  await page.waitForSelector("#diagram > svg g.component#c-typed_here", { timeout: 10000 });
  const edited = await page.evaluate(() => window.hldPlayground.text());

  step("clicking a finding moves the editor to its line");
  const target = findings.find((f) => f.line > 1) ?? findings[0];
  await page.click(`#findings [data-code="${target.code}"][data-line="${target.line}"]`);
  const line = await page.evaluate(() => window.hldPlayground.cursorLine());
  if (line !== target.line) throw new Error(`the cursor is on line ${line}, not ${target.line}`);

  step("the share link of an edited design reproduces it in a fresh page");
  await page.click("#share");
  await page.waitForSelector("#share-link:not([hidden])");
  const link = await page.inputValue("#share-link");
  const fresh = watch(await browser.newPage());
  await fresh.goto(link);
  await fresh.waitForSelector("#diagram > svg g.component#c-typed_here", { timeout: 10000 });
  const reproduced = await fresh.evaluate(() => window.hldPlayground.text());
  if (reproduced !== edited) throw new Error("the shared design is the edited one");

  step("a share link pasted into the open page loads it (hashchange)");
  const other = "client visitors { rate: 10/s }\nservice pasted_here\nvisitors -> pasted_here\n";
  await fresh.evaluate((hash) => { location.hash = hash; }, `#hld=${base64url(other)}`);
  await fresh.waitForSelector("#diagram > svg g.component#c-pasted_here", { timeout: 10000 });
  if ((await fresh.evaluate(() => window.hldPlayground.text())) !== other) {
    throw new Error("the pasted link's design is in the editor");
  }

  step("a broken share link says so and shows an example");
  const broken = watch(await browser.newPage());
  await broken.goto(`${base}index.html#z=${"A".repeat(40)}`);
  await broken.waitForSelector("#notice:not([hidden])", { timeout: 10000 });
  const said = await broken.textContent("#notice");
  if (!said.includes("cannot be opened")) throw new Error(`the notice says why: ${said}`);
  await broken.waitForSelector("#diagram > svg g.component", { timeout: 10000 });
  await broken.close();

  step("the dark theme's token colours meet WCAG AA on the editor's background");
  // Every token class in view: a keyword, a kind, a string, a number, an attribute, a
  // comment.
  await page.focus("#editor");
  await page.keyboard.press("Control+End");
  await page.keyboard.type('\nzone z { service labelled "A label" { replicas: 2 } } // a comment\n');
  await page.click("#theme");
  const contrasts = await page.evaluate(() => {
    const rgb = (text) => text.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const luminance = ([r, g, b]) => {
      const f = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const background = rgb(getComputedStyle(document.querySelector(".cm-editor")).backgroundColor);
    const activeLine = [0x2c, 0x31, 0x3a];
    const seen = new Map();
    for (const span of document.querySelectorAll(".cm-content .cm-line span")) {
      const colour = getComputedStyle(span).color;
      if (!seen.has(colour)) seen.set(colour, Math.min(ratio(rgb(colour), background), ratio(rgb(colour), activeLine)));
    }
    return { background, tokens: [...seen.entries()] };
  });
  if (contrasts.background.join() !== "40,44,52") throw new Error(`the dark editor's background: ${contrasts.background}`);
  if (contrasts.tokens.length < 6) throw new Error(`the tokens are coloured: ${JSON.stringify(contrasts)}`);
  const low = contrasts.tokens.filter(([, r]) => r < 4.5);
  if (low.length) throw new Error(`token colours below 4.5:1: ${JSON.stringify(low)}`);
  await page.click("#theme");

  step("the drawing downloads as SVG and as PNG");
  for (const [button, signature] of [["#download-svg", "<svg"], ["#download-png", "\x89PNG"]]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    const path = await download.path();
    const head = readFileSync(path).subarray(0, 4).toString("latin1");
    if (head !== signature.slice(0, 4)) throw new Error(`${button} gives ${JSON.stringify(head)}`);
  }

  step("an example loads");
  await page.selectOption("#examples", "designs/chat.hld");
  await page.waitForSelector("#diagram > svg g.component#c-sockets", { timeout: 10000 });
  const chat = await page.evaluate(() => window.hldTimings.lastRenderMs);

  step("the estimate shows the command line's table, formatted by hld");
  const columns = await page.$$eval("#estimate th", (cells) => cells.map((c) => c.textContent));
  for (const column of ["in/out", "p50 / p99", "cost/month"]) {
    if (!columns.includes(column)) throw new Error(`the estimate lacks ${column}: ${columns}`);
  }

  step("the picker draws a scenario and a flow over the design");
  await page.selectOption("#examples", "designs/url-shortener.hld");
  await page.waitForSelector("#focus:not([hidden])", { timeout: 10000 });
  await page.selectOption("#focus", "scenario:links_down");
  await page.waitForSelector("#diagram > svg .failed", { timeout: 10000 });
  await page.selectOption("#focus", "flow:redirect");
  await page.waitForSelector("#diagram > svg g.flow-step", { timeout: 10000 });

  step("a picked flow draws as a sequence diagram");
  await page.check("#as-sequence");
  await page.waitForSelector('#diagram > svg g.lifeline[data-id="hot"]', { timeout: 10000 });
  await page.waitForSelector("#diagram > svg g.frame.opt", { timeout: 10000 });
  await page.uncheck("#as-sequence");
  await page.waitForSelector("#diagram > svg g.flow-step", { timeout: 10000 });

  step("the Simulate tab runs a timed scenario and a traffic shape");
  await page.click("#tab-simulate");
  await page.selectOption("#simulate-what", "scenario:cache_restart");
  await page.click("#simulate-run");
  await page.waitForSelector("#simulate-charts svg g.chart[data-kind=flow][data-id=redirect]", { timeout: 20000 });
  const table = await page.textContent("#simulate-table");
  if (!/redirect\s+ok/.test(table)) throw new Error(`the run's table: ${table}`);
  await page.selectOption("#simulate-what", "traffic:spike(3x, at: 1min, for: 2min)");
  await page.click("#simulate-run");
  await page.waitForFunction(() => document.querySelector("#simulate-table").textContent.includes("traffic spike"), null, { timeout: 20000 });

  step("the Practice tab: pick, starter, grade, hints one at a time, the prompt in the link");
  await page.click("#tab-practice");
  await page.waitForSelector('#practice-prompt option[value="url-shortener"]', { state: "attached", timeout: 10000 });
  await page.selectOption("#practice-prompt", "url-shortener");
  await page.click("#practice-start");
  // The starter's own line (the example loaded before has the same flows): the answer
  // to Start has arrived, prompt text and all.
  await page.waitForFunction(() => window.hldPlayground.text().includes("// Grade it: hld practice grade url-shortener"), null, { timeout: 10000 });
  await page.waitForFunction(() => window.hldPlayground.text().includes('flow redirect "Follow a short link"'), null, { timeout: 10000 });
  const shown = await page.textContent("#practice-text");
  if (!shown.includes("Follow a short link") || shown.includes("no_rule")) throw new Error(`the prompt: ${shown}`);
  await page.click("#practice-grade");
  await page.waitForFunction(() => document.querySelector("#practice-score").textContent.startsWith("url-shortener: "), null, { timeout: 10000 });
  const failedCheck = '#practice-grade-result li[data-passed="false"]';
  await page.waitForSelector(failedCheck, { timeout: 10000 });
  await page.click(`${failedCheck} .more-hints`);
  const hints = await page.$$eval(`${failedCheck} .hints li`, (items) => items.map((i) => i.textContent));
  if (hints.length !== 1 || !hints[0]) throw new Error(`one hint at a time: ${JSON.stringify(hints)}`);
  await page.click("#share");
  await page.waitForSelector("#share-link:not([hidden])");
  const practiceLink = await page.inputValue("#share-link");
  if (!practiceLink.includes("&practice=url-shortener")) throw new Error(`the link: ${practiceLink}`);
  await page.selectOption("#examples", "designs/url-shortener.hld");
  await page.click("#practice-grade");
  await page.waitForFunction(() => document.querySelector("#practice-score").textContent === "url-shortener: 100%", null, { timeout: 10000 });

  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log(`ok: first diagram ${timings.firstDiagramMs.toFixed(0)} ms after load; chat.hld drawn in ${chat.toFixed(1)} ms (worker)`);
} finally {
  await browser.close();
  server.close();
}
