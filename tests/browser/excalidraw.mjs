// An Excalidraw scene opened by the real Excalidraw (@excalidraw/excalidraw, bundled
// here by esbuild) in headless Chromium: the file goes through the package's own
// loading path, the restored scene is exported to SVG, and what Excalidraw made of it
// (elements with their frames, containers and bindings; the SVG's texts) is printed
// as one JSON object for the Rust test to assert on. The page loads nothing: the
// bundle is injected inline and every request is aborted and counted as an error.
// Only the loading and the export run, not the editor: Excalidraw's canvas would also
// re-fit a container's text once its fonts load, and fonts are not loaded here.
// Run by the Rust tests: node excalidraw.mjs CHROMIUM SCENE.excalidraw... (one browser
// for every scene; each report is one line, and SCENE.svg is written beside it).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { launch } from "./launch.mjs";

const [executablePath, ...scenePaths] = process.argv.slice(2);
if (!executablePath || scenePaths.length === 0) {
  console.error("usage: node excalidraw.mjs CHROMIUM SCENE.excalidraw...");
  process.exit(2);
}
const scenes = scenePaths.map((path) => {
  const scene = readFileSync(path, "utf8");
  // loadFromBlob says only "invalid file" for a JSON syntax error: say where it is.
  try {
    JSON.parse(scene);
  } catch (error) {
    console.error(`excalidraw: ${path} is not JSON: ${error.message}`);
    process.exit(1);
  }
  return scene;
});

// The package is ESM with bare imports (react, jotai, roughjs...): one IIFE for the
// page, in memory. Its root import pulls no CSS (that is a separate export). The
// import.meta.url it keeps for the font-subsetting worker is empty in an IIFE, and
// never reached: fonts are not inlined (below).
const bundled = await build({
  stdin: {
    contents: `export { loadFromBlob, exportToSvg } from "@excalidraw/excalidraw";`,
    resolveDir: dirname(fileURLToPath(import.meta.url)),
  },
  bundle: true,
  format: "iife",
  globalName: "Excalidraw",
  conditions: ["production"],
  // Mermaid (7 of its 14 MB) is only for the text-to-diagram dialog, loaded lazily by
  // import(): left out, that import() would fail if anything reached it.
  external: ["@excalidraw/mermaid-to-excalidraw"],
  define: { "process.env.NODE_ENV": '"production"' },
  minify: true, // 5 MB instead of 7: the page parses it faster than it costs here
  write: false,
  logLevel: "error",
});
const bundle = bundled.outputFiles[0].text;

// The scene as Excalidraw opens it, exported to SVG, in a fresh page.
async function open(browser, errors, scene) {
  const page = await browser.newPage();
  page.on("pageerror", (error) => errors.push(`page error: ${error}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console error: ${message.text()}`);
  });
  // Offline: Excalidraw's fallback for assets is a CDN (esm.sh); nothing may leave.
  await page.route("**/*", (route) => {
    errors.push(`request: ${route.request().url()}`);
    return route.abort();
  });
  await page.setContent("<!doctype html><meta charset=utf-8><body></body>");
  await page.addScriptTag({ content: bundle });
  return page.evaluate(async (json) => {
    const { loadFromBlob, exportToSvg } = window.Excalidraw;
    // loadFromBlob is what Excalidraw runs on an opened or dropped file, and it works
    // headless: it checks the type, and restores the elements with repairBindings
    // (bindings, containers and frames that point nowhere are dropped; a text's
    // container gets it in its boundElements). "Error: invalid file" for the rest.
    const blob = new Blob([json], { type: "application/json" });
    const { elements, appState, files } = await loadFromBlob(blob, null, null);
    const live = elements.filter((e) => !e.isDeleted);
    // skipInliningFonts: inlining fetches the woff2 files (from the CDN offline).
    const svg = await exportToSvg({ elements: live, appState, files, skipInliningFonts: true });
    const markup = svg.outerHTML;
    return {
      elements: live.map((e) => ({
        id: e.id,
        type: e.type,
        frameId: e.frameId ?? null,
        containerId: e.containerId ?? null,
        ...(e.type === "text" ? { text: e.text } : {}),
        strokeStyle: e.strokeStyle,
        startBinding: e.startBinding?.elementId ?? null,
        endBinding: e.endBinding?.elementId ?? null,
        boundElements: (e.boundElements ?? []).map(({ id, type }) => ({ id, type })),
      })),
      svg_bytes: new TextEncoder().encode(markup).length,
      svg_texts: [...svg.querySelectorAll("text")].map((t) => t.textContent),
      svg: markup,
    };
  }, scene);
}

const errors = [];
let browser;
let timer;
try {
  browser = await launch(executablePath);
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out after 90 s")), 90000);
  });
  for (const [index, scene] of scenes.entries()) {
    const { svg, ...report } = await Promise.race([open(browser, errors, scene), timeout]);
    if (errors.length) throw new Error(`the page reported errors on ${scenePaths[index]}`);
    writeFileSync(scenePaths[index].replace(/(\.excalidraw)?$/, ".svg"), svg);
    console.log(JSON.stringify(report));
  }
} catch (error) {
  // The first line of a page.evaluate error is the message; the rest, a minified stack.
  console.error(`excalidraw: ${[error.message.split("\n")[0], ...errors].join("; ")}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser?.close();
}
