// hld's syntax for CodeMirror: a stream tokenizer with the token classes of the
// language reference (docs/language.md), mapped to highlight tags.
import { StreamLanguage } from "@codemirror/language";

const KEYWORDS = new Set(["design", "import", "region", "zone", "group", "flow", "scenario"]);
const KINDS = new Set([
  "client", "dns", "cdn", "lb", "gateway", "service", "worker", "cache", "database",
  "blob", "queue", "search", "coordinator", "external",
]);
const LITERALS = new Set(["true", "false"]);

export const hld = StreamLanguage.define({
  name: "hld",
  startState: () => ({ comment: false }),
  token(stream, state) {
    if (state.comment) {
      if (stream.skipTo("*/")) {
        stream.match("*/");
        state.comment = false;
      } else {
        stream.skipToEnd();
      }
      return "blockComment";
    }
    if (stream.eatSpace()) return null;
    if (stream.match("//")) {
      stream.skipToEnd();
      return "lineComment";
    }
    if (stream.match("/*")) {
      state.comment = true;
      return "blockComment";
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^@[A-Za-z_]\w*/)) return "annotation";
    if (stream.match(/^\$?\d+(?:\.\d+)?(?:(?:[A-Za-z%]+(?:\/[A-Za-z]+)?)|\/[A-Za-z]+)?/)) return "number";
    if (stream.match(/^(?:<->|->|\.\.)/)) return "operator";
    const word = stream.match(/^[A-Za-z_]\w*/);
    if (word) {
      const name = word[0];
      if (stream.match(/^\s*:/, false)) return "propertyName";
      if (KEYWORDS.has(name)) return "keyword";
      if (KINDS.has(name)) return "typeName";
      if (LITERALS.has(name)) return "bool";
      return "variableName";
    }
    stream.next();
    return "punctuation";
  },
  languageData: { commentTokens: { line: "//", block: { open: "/*", close: "*/" } } },
});
