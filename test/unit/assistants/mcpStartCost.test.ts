/**
 * What the MCP server costs a start no assistant calls (docs/assistants.md): the SDK is never loaded
 * (the server answers JSON-RPC itself; the SDK's types only are used), and the tools' argument
 * checks are compiled on the first call, once.
 */
import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {Ajv} from "ajv";
import {afterEach, describe, expect, it, vi} from "vitest";
import {EVERY_GRANT} from "../../../src/assistants/assistantGrants.js";
import {McpAnswers} from "../../../src/assistants/mcpAnswers.js";
import {YOTO_TOOLS} from "../../../src/assistants/mcpTools.js";
import {Logger} from "../../../src/core/logger.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the MCP server at start", () => {
  it("loads nothing of the MCP SDK at run time: the add-on's code imports its types only", () => {
    const loaded: string[] = [];
    for (const file of tsFiles(path.join(PACKAGE_ROOT, "src"))) {
      const text = readFileSync(file, "utf8");
      // Every import statement, re-export or dynamic import naming the SDK, whole (across lines).
      for (const m of text.matchAll(
        /(?:^|\n)\s*(import|export)\s+([^;]*?)\s+from\s+["'](@modelcontextprotocol\/[^"']+)["']/g,
      ))
        if (!/^type\s/.test(m[2] as string)) loaded.push(`${path.relative(PACKAGE_ROOT, file)}: ${m[0].trim()}`);
      for (const m of text.matchAll(/import\(\s*["'](@modelcontextprotocol\/[^"']+)["']\s*\)/g))
        loaded.push(`${path.relative(PACKAGE_ROOT, file)}: ${m[0]}`);
      for (const m of text.matchAll(/(?:^|\n)\s*import\s+["'](@modelcontextprotocol\/[^"']+)["']/g))
        loaded.push(`${path.relative(PACKAGE_ROOT, file)}: ${m[0].trim()}`);
    }
    expect(loaded).toEqual([]);
  });

  it("compiles the tools' argument checks on the first call, not when it is built, and once", async () => {
    const compile = vi.spyOn(Ajv.prototype, "compile");
    const answers = new McpAnswers({
      voice: {answer: async () => ({speech: "Nothing is playing.", outcome: "answered"}) as never},
      shelves: {view: async () => ({}) as never},
      children: () => [],
      log: new Logger({level: "error"}),
    });
    expect(answers.listed).toHaveLength(YOTO_TOOLS.length);
    expect(compile).not.toHaveBeenCalled();
    const caller = {id: "a1", name: "Kitchen speaker", grants: EVERY_GRANT};
    const first = await answers.call("whats_playing_on_yoto", {}, caller);
    expect(first.content).toEqual([{type: "text", text: "Nothing is playing."}]);
    expect(compile).toHaveBeenCalledTimes(YOTO_TOOLS.length);
    await answers.call("pause_yoto", {}, caller);
    expect(compile).toHaveBeenCalledTimes(YOTO_TOOLS.length);
  });
});
