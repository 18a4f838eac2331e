import {execFile} from "node:child_process";
import path from "node:path";
import type {HaRegistry} from "./hassil.js";

const SCRIPT = path.join(import.meta.dirname, "haScriptBlueprint.py");

/** haScriptBlueprint.py over a script blueprint, a request on its stdin: its JSON answer. */
function runScript<T>(python: string, blueprint: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [SCRIPT, blueprint], {maxBuffer: 16 * 1024 * 1024}, (err, stdout, stderr) =>
      err ? reject(new Error(`haScriptBlueprint.py failed: ${stderr || err.message}`)) : resolve(JSON.parse(stdout)),
    );
    child.stdin?.end(JSON.stringify(request));
  });
}

/** The tool Home Assistant's LLM API makes of a script created from the blueprint (object id, aliases). */
export interface ScriptToolSpec {
  name: string;
  description: string | null;
  /** As the LLM is given it: a JSON schema of the script's fields. */
  parameters: {
    type: "object";
    properties: Record<string, {type: string; description?: string; items?: unknown}>;
    required?: string[];
  };
}

export async function scriptTool(
  python: string,
  blueprint: string,
  objectId: string,
  aliases: string[] = [],
): Promise<ScriptToolSpec> {
  return (await runScript<{tool: ScriptToolSpec}>(python, blueprint, {tool: {object_id: objectId, aliases}})).tool;
}

/** A tool call: refused as the schema refuses it (`error`), or what the script publishes and its variables. */
export type ScriptCall =
  | {error: string; topic?: undefined; payload?: undefined; variables?: undefined}
  | {error?: undefined; topic: string; payload: string; variables: Record<string, unknown>};

/** The LLM calls the tool with these arguments, each call in a conversation turn of its own context id. */
export async function callScriptTool(
  python: string,
  blueprint: string,
  calls: Array<{args: unknown; context_id: string; registry?: HaRegistry}>,
): Promise<ScriptCall[]> {
  const request = {call: calls.map((c) => ({object_id: path.basename(blueprint, ".yaml"), ...c}))};
  return (await runScript<{calls: ScriptCall[]}>(python, blueprint, request)).calls;
}

/** What the script ends with: its response, as the LLM gets it from the tool. */
export interface ScriptResponse {
  speech: string;
  outcome: string;
  title: string | null;
  player: string | null;
  child: string | null;
}

/** For each run (its variables, the messages its wait saw): the script's response and the tool's result. */
export async function answerScript(
  python: string,
  blueprint: string,
  cases: Array<{variables: Record<string, unknown>; messages: Array<{topic: string; payload: string}>}>,
): Promise<Array<{response: ScriptResponse; tool_result: {success: boolean; result: ScriptResponse}}>> {
  return (
    await runScript<{
      answers: Array<{response: ScriptResponse; tool_result: {success: boolean; result: ScriptResponse}}>;
    }>(python, blueprint, {answer: cases})
  ).answers;
}
