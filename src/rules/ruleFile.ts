import {overLimit, readTextUpTo} from "../core/boundedRead.js";
import {parseBoundedYaml, RULES_FOLDER_FILE_MAX_BYTES, type YamlProblem} from "../core/boundedYaml.js";
import {errorMessage} from "../core/errors.js";
import {FilePlaces} from "./filePlaces.js";

/** Rule and story files: a bigger one is a mistake or an attack, and parsing it blocks. */
const RULE_FILE_MAX_BYTES = RULES_FOLDER_FILE_MAX_BYTES;

/** One rules or story file read as plain data, with the line each top-level entry starts on. */
export type RuleFile =
  | {content: unknown; places: FilePlaces; entryLines: number[]; problem?: undefined}
  | {problem: YamlProblem};

/** Read and parse one rules file. Every problem comes back placed (line 1 when it is the file's); none is thrown. */
export async function readRuleFile(file: string): Promise<RuleFile> {
  try {
    const read = await readTextUpTo(file, RULE_FILE_MAX_BYTES);
    if (read.text === undefined) {
      const message = `the file ${overLimit(read.size, RULE_FILE_MAX_BYTES, "rule and story files")}: split it into smaller files`;
      return {problem: {line: 1, col: 1, message}};
    }
    const yaml = parseBoundedYaml(read.text);
    if (yaml.problem) return yaml;
    const places = new FilePlaces(read.text, yaml);
    const {content} = yaml;
    // Every compiled rule names its line, so those are taken now; the document is then let go.
    const entryLines = Array.isArray(content) ? content.map((_, i) => places.at([i]).line) : [places.at([]).line];
    places.release();
    return {content, places, entryLines};
  } catch (err) {
    return {problem: {line: 1, col: 1, message: `the file cannot be read (${errorMessage(err)})`}};
  }
}
