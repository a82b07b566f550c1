// `hld simulate --format html` opened in headless Chromium from a file: the page
// fetches nothing, runs no error, and moving the slider recolours the components by
// their utilization at that step and redraws the links; the play button advances it.
// Run by tests/it/simulate.rs: node playback.mjs PAGE.html COMPONENT STEP CHROMIUM
// (COMPONENT is over capacity at STEP and not at step 0).
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const [file, component, step, executablePath] = process.argv.slice(2);

const browser = await launch(executablePath);
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const url = pathToFileURL(file).href;
  const requests = [];
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForLoadState("load");
  const state = () =>
    page.evaluate((id) => {
      const g = document.querySelector(`#picture g.component[data-id="${id}"]`);
      const shape = g && g.querySelector("rect, path, ellipse, polygon");
      const widths = [...document.querySelectorAll("#picture g.link path")].map(
        (p) => p.style.strokeWidth,
      );
      return {
        fill: shape && shape.style.fill,
        utilization: shape && shape.getAttribute("data-utilization"),
        clock: document.getElementById("clock").textContent,
        widths: widths.join(","),
        charts: document.querySelectorAll("#charts g.chart").length,
      };
    }, component);
  const start = await state();
  await page.evaluate((value) => {
    const slider = document.getElementById("step");
    slider.value = value;
    slider.dispatchEvent(new Event("input"));
  }, step);
  const later = await state();
  if (!start.fill || !later.fill) throw new Error(`\`${component}\` is not coloured: ${JSON.stringify(start)}`);
  if (start.fill === later.fill) throw new Error(`\`${component}\` keeps its colour: ${start.fill}`);
  if (!(Number(later.utilization) > 100)) throw new Error(`not over capacity at ${step}: ${JSON.stringify(later)}`);
  if (start.clock === later.clock) throw new Error("the clock did not move");
  if (start.widths === later.widths) throw new Error("the links did not change");
  if (start.charts < 1) throw new Error("no chart below the picture");
  await page.click("#play");
  await page.waitForTimeout(500);
  const played = await state();
  if (played.clock === later.clock) throw new Error("the play button does not advance");
  if (requests.length) throw new Error(`the page fetched ${requests.join(", ")}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log(`ok: ${component} ${start.fill} -> ${later.fill} at ${later.clock}`);
} finally {
  await browser.close();
}
