// The examples menu: the reference designs and the language examples, as JSON
// (`node examples.mjs > dist/examples.json`, run by build.sh).
import { readdirSync, readFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const examples = [];
for (const group of ["designs", "examples/language"]) {
  const dir = new URL(`${group}/`, root);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".hld")).sort()) {
    examples.push({
      group: group === "designs" ? "designs" : "language",
      name: `${group}/${file}`,
      file,
      text: readFileSync(new URL(file, dir), "utf8"),
    });
  }
}
process.stdout.write(JSON.stringify(examples));
