// The watch page in headless Chromium: the diagram is swapped in place when the design
// changes (no page reload), and a broken save shows the error overlay over the last
// good diagram; the page's Content-Security-Policy lets its own script run and blocks
// nothing it needs, a script planted in the design does not run, and the picker
// draws a flow or a scenario over the design, and charts a timed scenario's run.
// Run by tests/browser.rs: node watch.mjs URL DESIGN CHROMIUM
import { writeFileSync } from "node:fs";
import { launch } from "./launch.mjs";

const [url, design, executablePath] = process.argv.slice(2);
const designWith = (replicas) =>
  `client users\nservice api { replicas: ${replicas} }\nusers -> api\n`;

const browser = await launch(executablePath);
try {
  const page = await browser.newPage();
  const violations = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto(url);
  if (!response.headers()["content-security-policy"]?.includes("default-src 'none'")) {
    throw new Error("the page comes with a Content-Security-Policy");
  }
  await page.waitForSelector("#diagram svg g.component#c-api", { timeout: 10000 });
  const first = await page.textContent("#c-api");
  if (!first.includes("×2")) throw new Error(`expected ×2 in the first diagram: ${first}`);
  // A mark on the window: a full reload would lose it.
  await page.evaluate(() => { window.hldMark = "kept"; });

  writeFileSync(design, designWith(5));
  await page.waitForFunction(
    () => document.querySelector("#c-api")?.textContent.includes("×5"),
    null,
    { timeout: 10000 },
  );
  if ((await page.evaluate(() => window.hldMark)) !== "kept") {
    throw new Error("the page reloaded instead of swapping the diagram");
  }

  writeFileSync(design, "service api {\n  replicas 2\n}\n");
  await page.waitForSelector("#overlay:not([hidden])", { timeout: 10000 });
  const overlay = await page.textContent("#overlay");
  if (!overlay.includes(":2:") || !overlay.includes("syntax")) {
    throw new Error(`the overlay names the error and its line: ${overlay}`);
  }
  const kept = await page.textContent("#c-api");
  if (!kept.includes("×5")) throw new Error("the last good diagram stays under the overlay");

  writeFileSync(design, designWith(3));
  await page.waitForSelector("#overlay[hidden]", { state: "attached", timeout: 10000 });
  await page.waitForFunction(
    () => document.querySelector("#c-api")?.textContent.includes("×3"),
    null,
    { timeout: 10000 },
  );
  // A finding in the list highlights its element when clicked.
  await page.click("#findings li.warning, #findings li.error");
  await page.waitForSelector("#diagram .hld-highlight", { timeout: 5000 });
  // An item of the picture's own findings list highlights its numbered badge.
  await page.locator("#diagram g.finding-item[data-number='1'] text").last().click();
  await page.waitForSelector("#diagram g.finding.hld-highlight[data-number='1']", { timeout: 5000 });
  if ((await page.evaluate(() => window.hldMark)) !== "kept") {
    throw new Error("the page reloaded");
  }
  // A label cannot run script: inline handlers are text in the SVG, and the policy
  // would block them anyway.
  writeFileSync(
    design,
    `client users "<img src=x onerror=window.hldPwned=1>"\nservice api { replicas: 4 }\nusers -> api\n`,
  );
  await page.waitForFunction(
    () => document.querySelector("#c-api")?.textContent.includes("×4"),
    null,
    { timeout: 10000 },
  );
  if (await page.evaluate(() => window.hldPwned)) throw new Error("a label ran script");

  // The picker offers the design's flows and scenarios; a choice draws it over the
  // design, and survives the next save.
  writeFileSync(
    design,
    `${designWith(2)}flow signup "Sign up" { users -> api }\nscenario api_down { fail: [api] }\n`,
  );
  await page.waitForSelector('#view option[value="flow=signup"]', { state: "attached", timeout: 10000 });
  await page.selectOption("#view", "flow=signup");
  await page.waitForSelector('#diagram g.flow-step[data-flow="signup"][data-step="1"]', { timeout: 10000 });
  await page.selectOption("#view", "scenario=api_down");
  await page.waitForSelector("#diagram g.component.failed#c-api", { timeout: 10000 });
  writeFileSync(
    design,
    `${designWith(3)}flow signup "Sign up" { users -> api }\nscenario api_down { fail: [api] }\n`,
  );
  await page.waitForFunction(
    () => document.querySelector("#c-api.failed")?.textContent.includes("×3"),
    null,
    { timeout: 10000 },
  );
  // A timed scenario is played: its charts sit under its picture.
  writeFileSync(
    design,
    `${designWith(3)}flow signup "Sign up" { users -> api }\nscenario api_down { fail: [api], at: 1min, for: 30s }\n`,
  );
  await page.waitForSelector('#simulation svg g.chart[data-kind="flow"][data-id="signup"]', { timeout: 15000 });
  await page.selectOption("#view", "flow=signup");
  await page.waitForFunction(() => document.getElementById("simulation").innerHTML === "", null, { timeout: 10000 });
  // A flow as a sequence diagram: the toggle shows for flows only.
  await page.check("#as-sequence");
  await page.waitForSelector('#diagram g.lifeline[data-id="api"]', { timeout: 10000 });
  await page.waitForSelector('#diagram g.message[data-step="1"][data-from="users"][data-to="api"]', { timeout: 10000 });
  await page.selectOption("#view", "scenario=api_down");
  await page.waitForSelector("#sequence-toggle", { state: "hidden", timeout: 10000 });
  if (violations.length > 0) {
    throw new Error(`the page's own resources were blocked: ${violations.join("; ")}`);
  }
  console.log("browser: diagram swapped in place, overlay shown and cleared, finding highlighted, flow and scenario picked, a timed scenario charted, a flow as a sequence, CSP holds");
} finally {
  await browser.close();
}
