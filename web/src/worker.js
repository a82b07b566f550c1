// Runs hld off the page's thread, so typing never waits for a redraw. Answers carry
// the request's id; the page keeps only the newest.
import { load } from "./hld.js";

const ready = fetch(new URL("hld.wasm", self.location.href))
  .then((response) => response.arrayBuffer())
  .then(load);

self.onmessage = async ({ data }) => {
  const call = await ready;
  const started = performance.now();
  const answer = call(data.request);
  self.postMessage({ id: data.id, kind: data.kind, command: data.command, answer, ms: performance.now() - started });
};
