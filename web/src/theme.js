// The dark editor: One Dark's chrome with token colours that meet WCAG AA (4.5:1) on
// its background (#282c34) and on the active line (#2c313a). One Dark's own comments
// (#7d8799, 3.9:1) and property names (#e06c75, 4.4:1) fall short; the others are kept.
// tests/browser/playground.mjs measures every token's contrast from the page.
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { oneDarkTheme } from "@codemirror/theme-one-dark";
import { tags } from "@lezer/highlight";

const COLOURS = {
  keyword: "#d19df0",   // 6.5:1
  name: "#ef8b93",      // 5.9:1 (property names: attributes)
  type: "#e5c07b",      // 8.1:1 (kinds, numbers, annotations)
  operator: "#56b6c2",  // 5.9:1
  comment: "#9ba3b4",   // 5.5:1
  literal: "#d19a66",   // 5.7:1
  string: "#98c379",    // 6.9:1
  text: "#abb2bf",      // 6.6:1
};

const darkHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: COLOURS.keyword },
  { tag: [tags.propertyName, tags.name, tags.deleted, tags.character, tags.macroName], color: COLOURS.name },
  { tag: [tags.variableName, tags.separator, tags.punctuation], color: COLOURS.text },
  { tag: [tags.typeName, tags.className, tags.number, tags.annotation, tags.modifier, tags.namespace], color: COLOURS.type },
  { tag: [tags.operator, tags.operatorKeyword, tags.url, tags.escape, tags.regexp], color: COLOURS.operator },
  { tag: [tags.meta, tags.comment, tags.lineComment, tags.blockComment], color: COLOURS.comment },
  { tag: [tags.atom, tags.bool], color: COLOURS.literal },
  { tag: [tags.string, tags.inserted], color: COLOURS.string },
]);

export const darkEditor = [oneDarkTheme, syntaxHighlighting(darkHighlight)];
