import {overLimit, readTextUpTo} from "../core/boundedRead.js";
import {type BoundedYaml, parseBoundedYaml} from "../core/boundedYaml.js";
import {errorMessage} from "../core/errors.js";

/** Rule and story files are hand-written; a bigger one is a mistake or an attack, and parsing it blocks. */
export const RULE_FILE_MAX_BYTES = 1024 * 1024;

/** Read and parse one rules file. Every problem comes back placed (line 1 when it is the file's); none is thrown. */
export async function readRuleFile(file: string): Promise<BoundedYaml> {
  try {
    const read = await readTextUpTo(file, RULE_FILE_MAX_BYTES);
    if (read.text === undefined) {
      const message = `the file ${overLimit(read.size, RULE_FILE_MAX_BYTES, "rule files")}: split it into smaller files`;
      return {problem: {line: 1, col: 1, message}};
    }
    return parseBoundedYaml(read.text);
  } catch (err) {
    return {problem: {line: 1, col: 1, message: `the file cannot be read (${errorMessage(err)})`}};
  }
}
