import {readFile} from "node:fs/promises";
import path from "node:path";
import {errorMessage} from "../../core/errors.js";
import {INK_SCENE} from "../model/story.js";
import {StoryImporter} from "./importer.js";

const USAGE = `Usage:
  yoto-smart-stream stories import FILE [DIR] [--replace]

Imports a story written in Twine (Twee 3 .twee, or a published Twine 2 .html) or ink (.ink source,
or the compiled .json) as a story file under DIR/stories/ (DIR defaults to ./rules: use your
rules_dir). A running service loads it at once and narrates its scenes; recordings in an audio/
folder beside FILE, named after passages (audio/<Passage name>.mp3), are used instead.
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
    const from = path.dirname(path.resolve(file));
    const result = await new StoryImporter({rulesDir}).import(path.basename(file), bytes, {replace, from});
    const ink = result.start === INK_SCENE;
    print(
      ink
        ? `Imported ink story '${result.id}' (its scenes are made as it plays) into ${path.join(rulesDir, result.file)}`
        : `Imported story '${result.id}' (${result.scenes.length} scenes, starts at '${result.start}') into ${path.join(rulesDir, result.file)}`,
    );
    if (result.recordings) print(`  ${result.recordings} recordings from audio/ are used instead of narration`);
    for (const warning of result.warnings) print(`  warning: ${warning}`);
    return 0;
  } catch (err) {
    print(errorMessage(err));
    return 1;
  }
}
