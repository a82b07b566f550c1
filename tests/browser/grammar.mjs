// The VS Code extension's TextMate grammar, run by the engine VS Code uses
// (vscode-textmate with the Oniguruma regex library): each token class of the
// language gets its scope, and every example and design tokenizes without a rule
// running away. Run by tests/it/editors.rs: node grammar.mjs GRAMMAR DESIGNS...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import textmate from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const require = createRequire(import.meta.url);
const [grammarPath, ...designs] = process.argv.slice(2);
const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
await oniguruma.loadWASM(wasm);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async () => textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath),
});
const grammar = await registry.loadGrammar("source.hld");

function tokens(text) {
  let stack = textmate.INITIAL;
  const found = [];
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      found.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    stack = result.ruleStack;
  }
  return found;
}

// Each token class, in a design that has them all: [text, the scope it must carry].
const SAMPLE = `// a line comment
/* a block
   comment */
design "Shop \\"v2\\"" { availability: 99.9%, budget: $40k/month }
import "lib.hld"
@allow(no-backup, "rebuilt from the log")
service api "API" { replicas: 3, capacity: 10k/s, circuit_breaker: true }
database db { partitioning: consistent_hash(key: user_id, vnodes: 256), autoscale: 2..8 }
api -> db { timeout: 50ms }
users <-> api
`;
const EXPECTED = [
  ["// a line comment", "comment.line.double-slash.hld"],
  ["comment", "comment.block.hld"],
  ["design", "keyword.control.hld"],
  ["import", "keyword.control.hld"],
  ["\\\"", "constant.character.escape.hld"],
  ["lib.hld", "string.quoted.double.hld"],
  ["allow", "storage.type.annotation.hld"],
  ["no-backup", "support.constant.rule.hld"],
  ["service", "storage.type.kind.hld"],
  ["api", "entity.name.type.component.hld"],
  ["database", "storage.type.kind.hld"],
  ["replicas", "variable.other.property.hld"],
  ["10", "constant.numeric.hld"],
  ["k/s", "keyword.other.unit.hld"],
  ["99.9", "constant.numeric.hld"],
  ["$", "keyword.other.unit.hld"],
  ["40", "constant.numeric.hld"],
  ["k/month", "keyword.other.unit.hld"],
  ["%", "keyword.other.unit.hld"],
  ["ms", "keyword.other.unit.hld"],
  ["true", "constant.language.boolean.hld"],
  ["consistent_hash", "entity.name.function.hld"],
  ["..", "keyword.operator.range.hld"],
  ["->", "keyword.operator.arrow.hld"],
  ["<->", "keyword.operator.arrow.hld"],
  ["users", "variable.other.hld"],
];
const sample = tokens(SAMPLE);
const missing = EXPECTED.filter(([text, scope]) =>
  !sample.some((t) => t.text.trim() === text.trim() && t.scopes.includes(scope)));
if (missing.length) {
  const seen = sample.map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(" ")}`);
  console.error(`missing scopes: ${JSON.stringify(missing)}\n${seen.join("\n")}`);
  process.exit(1);
}
// Every design: tokenized, a string never runs past its line, comments end.
let lines = 0;
for (const file of designs) {
  const text = readFileSync(file, "utf8");
  lines += text.split("\n").length;
  for (const token of tokens(text)) {
    if (token.scopes.includes("string.quoted.double.hld") && token.text.includes("\n")) {
      throw new Error(`${file}: a string spans lines`);
    }
  }
  const last = tokens(text + "\nservice after_everything").at(-1);
  if (!last.scopes.includes("entity.name.type.component.hld")) {
    throw new Error(`${file}: a scope leaks past the end (${last.scopes})`);
  }
}
console.log(`ok: ${EXPECTED.length} token classes; ${designs.length} files, ${lines} lines`);
