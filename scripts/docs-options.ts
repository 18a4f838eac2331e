// Writes docs/options.md from the option schema and translations/en.yaml (`npm run docs:options`).
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {optionsReference} from "../src/config/optionsReference.js";
import {PACKAGE_ROOT} from "../src/paths.js";

const en = await readFile(path.join(PACKAGE_ROOT, "translations/en.yaml"), "utf8");
await writeFile(path.join(PACKAGE_ROOT, "docs/options.md"), optionsReference(en));
console.log("docs/options.md written");
