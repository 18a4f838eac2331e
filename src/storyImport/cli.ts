import {readFile} from "node:fs/promises";
import path from "node:path";
import {errorMessage} from "../core/errors.js";
import {StoryImporter} from "./importer.js";

const USAGE = `Usage:
  yoto-smart-stream stories import FILE [DIR] [--replace]

Imports a Twine story (Twee 3 .twee, or a published Twine 2 .html) as a story file under
DIR/stories/ (DIR defaults to ./rules: use your rules_dir). A running service loads it at once.
--replace overwrites an earlier import of the same story.`;

/** `stories import`: exit code 0 when written, 1 when the file cannot be imported, 2 on usage. */
export async function storiesCommand(args: string[], print: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  const replace = rest.includes("--replace");
  const positional = rest.filter((a) => !a.startsWith("--"));
  if (sub !== "import" || positional.length < 1 || positional.length > 2 || rest.includes("--help")) {
    print(USAGE);
    return sub === "help" || sub === "--help" || rest.includes("--help") ? 0 : 2;
  }
  const file = positional[0] as string;
  const rulesDir = path.resolve(positional[1] ?? "rules");
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    print(`Cannot read '${file}' (${errorMessage(err)})`);
    return 1;
  }
  try {
    const result = await new StoryImporter({rulesDir}).import(path.basename(file), bytes, {replace});
    print(
      `Imported story '${result.id}' (${result.scenes.length} scenes, starts at '${result.start}') into ${path.join(rulesDir, result.file)}`,
    );
    for (const warning of result.warnings) print(`  warning: ${warning}`);
    return 0;
  } catch (err) {
    print(errorMessage(err));
    return 1;
  }
}
