// Runs in a worker thread: parses the rules folder's large files (an imported story's file is up to
// 1 MB, whose YAML took a third of a second of the service's event loop). The data goes back
// serialized, as the reader keeps it between loads.
import {serialize} from "node:v8";
import {parentPort} from "node:worker_threads";
import type {YamlProblem} from "../core/boundedYaml.js";
import {errorMessage} from "../core/errors.js";
import {parseRuleText} from "./ruleFile.js";

/** One file's text to parse; `id` pairs the answer with it. */
export interface ParseJob {
  id: number;
  text: string;
}

/** The parsed data (v8-serialized) and its entries' lines, where the text went wrong, or why the thread could not say. */
export type ParseAnswer = {id: number} & (
  | {data: Uint8Array; entryLines: number[]}
  | {problem: YamlProblem}
  | {failed: string}
);

parentPort?.on("message", ({id, text}: ParseJob) => {
  let answer: ParseAnswer;
  try {
    const parsed = parseRuleText(text);
    answer = parsed.problem
      ? {id, problem: parsed.problem}
      : {id, data: serialize(parsed.content), entryLines: parsed.entryLines};
  } catch (err) {
    answer = {id, failed: errorMessage(err)};
  }
  parentPort?.postMessage(answer);
});
