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

/** A file's text as parsed: the data and its entries' lines, or where it went wrong. */
export type ParsedText = {content: unknown; entryLines: number[]; problem?: undefined} | {problem: YamlProblem};

/** Read and parse one rules file. Every problem comes back placed (line 1 when it is the file's); none is thrown. */
export async function readRuleFile(file: string): Promise<RuleFile> {
  const read = await readRuleText(file);
  if (read.problem) return read;
  const parsed = parseRuleText(read.text);
  return parsed.problem ? parsed : {...parsed, places: new FilePlaces(read.text)};
}

/** A rules file's text, or why it is not read (too large, unreadable). */
export async function readRuleText(
  file: string,
): Promise<{text: string; problem?: undefined} | {problem: YamlProblem}> {
  try {
    const read = await readTextUpTo(file, RULE_FILE_MAX_BYTES);
    if (read.text !== undefined) return {text: read.text};
    const message = `the file ${overLimit(read.size, RULE_FILE_MAX_BYTES, "rule and story files")}: split it into smaller files`;
    return {problem: {line: 1, col: 1, message}};
  } catch (err) {
    return unreadable(err);
  }
}

/**
 * Parse a rules file's text (here, or in the rules folder's parse thread: it touches nothing but the
 * text). Every compiled rule names its line, so those are taken while the document is at hand; a
 * later error is placed by parsing the text again (FilePlaces).
 */
export function parseRuleText(text: string): ParsedText {
  try {
    const yaml = parseBoundedYaml(text);
    if (yaml.problem) return yaml;
    const places = new FilePlaces(text, yaml);
    const {content} = yaml;
    const entryLines = Array.isArray(content) ? content.map((_, i) => places.at([i]).line) : [places.at([]).line];
    return {content, entryLines};
  } catch (err) {
    return unreadable(err);
  }
}

function unreadable(err: unknown): {problem: YamlProblem} {
  return {problem: {line: 1, col: 1, message: `the file cannot be read (${errorMessage(err)})`}};
}
