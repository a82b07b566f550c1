// `hld mcp` driven by the official MCP TypeScript SDK's client over stdio: the
// handshake, every tool listed and called, resources read, a design that does not
// compile answered as a tool error with its diagnostics (and the session going on),
// a path outside the workspace refused, a design over the size limit refused.
// Run by tests/it/mcp.rs: node mcp.mjs HLD WORKSPACE (WORKSPACE holds designs/ and
// examples/diff/ of the repository).
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";

const [hld, workspace] = process.argv.slice(2);
const transport = new StdioClientTransport({ command: hld, args: ["mcp"], cwd: workspace, stderr: "inherit" });
const client = new Client({ name: "hld-test", version: "1.0.0" });
let negotiated;
transport.setProtocolVersion = (version) => {
  negotiated = version;
};
await client.connect(transport);

// The handshake: hld speaks the SDK's newest protocol version.
assert.equal(client.getServerVersion().name, "hld");
assert.ok(client.getServerCapabilities().tools);
assert.ok(client.getInstructions().includes("check"));
assert.equal(negotiated, LATEST_PROTOCOL_VERSION);

const { tools } = await client.listTools();
assert.deepEqual(
  tools.map((t) => t.name).sort(),
  ["check", "diff", "estimate", "explain", "practice_grade", "render", "simulate", "what_if"],
);
for (const tool of tools) {
  assert.equal(tool.inputSchema.type, "object", tool.name);
  assert.equal(tool.outputSchema.type, "object", tool.name);
}

const call = async (name, args) => {
  const result = await client.callTool({ name, arguments: args });
  return result;
};
const ok = async (name, args) => {
  const result = await call(name, args);
  assert.equal(result.isError, false, `${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
};

// A design as text, with the file its import names.
const shop = {
  text: 'import "lib/data.hld"\ndesign "Shop" { availability: 99.9% }\nclient users { rate: 100/s }\nservice api\nusers -> api { protocol: https }\napi -> db { ops: read, timeout: 100ms }\nscenario db_down { fail: [db] }\n',
  files: { "lib/data.hld": "database db { engine: postgres, replicas: 2 }\n" },
};
const checked = await ok("check", shop);
assert.equal(checked.version, 1);
assert.ok(checked.diagnostics.every((d) => d.code !== "import"), JSON.stringify(checked));
assert.ok(
  checked.diagnostics.some((d) => d.code === "single-point-of-failure" && d.element === "api"),
  JSON.stringify(checked),
);

const estimate = await ok("estimate", { path: "designs/url-shortener.hld" });
assert.ok(estimate.components.length > 5 && estimate.cost > 0);

const whatIf = await ok("what_if", shop);
assert.equal(whatIf.scenarios[0].id, "db_down");
const adHoc = await ok("what_if", { ...shop, fail: ["api"] });
assert.equal(adHoc.scenarios[0].id, "what-if");
const sweep = await ok("what_if", { path: "designs/chat.hld", all: true });
assert.equal(sweep.depth, 1);

const run = await ok("simulate", { path: "designs/chat.hld", duration: "30s", step: "1s" });
assert.equal(run.step, 1);
assert.ok(run.outcomes.length > 0);

const explained = await ok("explain", { rule: "single-point-of-failure" });
assert.equal(explained.name, "single-point-of-failure");
assert.ok(explained.explanation.length > 100);

const drawn = await call("render", { path: "designs/pastebin.hld", theme: "dark" });
assert.equal(drawn.isError, false);
assert.ok(drawn.content[0].text.startsWith("<svg"));
assert.equal(drawn.structuredContent.svg, drawn.content[0].text);

const diff = await ok("diff", { old: { path: "examples/diff/before.hld" }, new: { path: "examples/diff/after.hld" } });
assert.deepEqual(diff.added.components, ["audit"]);
assert.equal(diff.new_errors, true);

const graded = await ok("practice_grade", { prompt: "url-shortener", path: "designs/url-shortener.hld" });
assert.equal(graded.score, 100);

// A design that does not compile: a tool error with the diagnostics, and the session goes on.
const broken = await call("estimate", { text: "service api {" });
assert.equal(broken.isError, true);
assert.ok(broken.content[0].text.includes("does not compile"));
assert.ok(broken.content[1].text.includes('"code": "syntax"'));
// Arguments that name no design, a path outside the workspace, an unknown rule.
const nothing = await call("check", {});
assert.equal(nothing.isError, true);
const outside = await call("check", { path: "../../../etc/passwd" });
assert.equal(outside.isError, true);
assert.ok(outside.content[0].text.includes("outside the workspace"), outside.content[0].text);
const unknown = await call("explain", { rule: "single-point-of-failur" });
assert.equal(unknown.isError, true);
assert.ok(unknown.content[0].text.includes("single-point-of-failure"));
// An unknown tool is a protocol error.
await assert.rejects(() => client.callTool({ name: "deploy", arguments: {} }), /deploy/);
// A design over the 64 MiB limit is refused, not read.
const huge = await call("check", { text: "// " + "x".repeat(65 * 1024 * 1024) });
assert.equal(huge.isError, true);
assert.ok(huge.content[0].text.includes("64 MiB"), huge.content[0].text);

// The resources: the language reference and the rule catalogue.
const { resources } = await client.listResources();
assert.deepEqual(resources.map((r) => r.uri).sort(), ["hld://docs/language.md", "hld://docs/rules.md"]);
const language = await client.readResource({ uri: "hld://docs/language.md" });
assert.ok(language.contents[0].text.includes("flow"));
const rules = await client.readResource({ uri: "hld://docs/rules.md" });
assert.ok(rules.contents[0].text.includes("single-point-of-failure"));
await assert.rejects(() => client.readResource({ uri: "hld://nothing" }));

// Still answering after all of that.
assert.equal((await ok("check", { path: "designs/chat.hld" })).summary.errors, 0);
await client.close();
console.log("mcp: every tool answered over the SDK's client");
