// A design-review report (`hld report`) opened in headless Chromium from a file: the
// page loads nothing from anywhere (no request but the page itself), shows the diagram
// inline, holds every text the test expects, and draws something (a screenshot).
// Run by tests/it/report.rs: node report.mjs REPORT.html EXPECTED.json SHOT.png CHROMIUM
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const [report, expectedFile, shot, executablePath] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));

const browser = await launch(executablePath);
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const url = pathToFileURL(report).href;
  const requests = [];
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForLoadState("load");
  if (requests.length) throw new Error(`the report fetched ${requests.join(", ")}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  const found = await page.evaluate(() => ({
    svg: !!document.querySelector("figure.diagram > svg g.component"),
    text: document.body.innerText.replace(/\s+/g, " "),
    headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
    external: [...document.querySelectorAll("[src], [href]")]
      .map((e) => e.getAttribute("src") ?? e.getAttribute("href"))
      .filter((u) => /^(https?:)?\/\//.test(u)),
    scripts: document.querySelectorAll("script").length,
  }));
  if (!found.svg) throw new Error("the diagram is inline in figure.diagram");
  if (found.external.length) throw new Error(`external URLs: ${found.external}`);
  if (found.scripts) throw new Error("the report runs no script");
  for (const heading of expected.headings) {
    if (!found.headings.includes(heading)) {
      throw new Error(`no section "${heading}" in ${found.headings.join(" / ")}`);
    }
  }
  const missing = expected.texts.filter((t) => !found.text.includes(t.replace(/\s+/g, " ")));
  if (missing.length) throw new Error(`not in the page: ${JSON.stringify(missing)}`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`ok: ${expected.texts.length} texts, ${found.headings.length} sections`);
} finally {
  await browser.close();
}
