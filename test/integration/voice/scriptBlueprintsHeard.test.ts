import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse, type Tags} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {type ScriptBlueprintId, scriptBlueprintFile} from "../../../src/voice/scriptBlueprint.js";
import {readVoiceRequest} from "../../../src/voice/voiceRequest.js";
import {answerScript, callScriptTool, scriptTool} from "../../helpers/haScripts.js";
import {hassilPython} from "../../helpers/hassil.js";

class Input {
  constructor(readonly name: string) {}
}
const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];
const fileOf = (id: ScriptBlueprintId) => path.join(PACKAGE_ROOT, scriptBlueprintFile(id));
const hassil = hassilPython();

describe("the script blueprints for LLM assistants and the MCP server", () => {
  it.skipIf(!hassil.python)(
    "are each a tool as Home Assistant's LLM API builds it from the script's fields",
    async () => {
      const python = hassil.python as string;
      const play = await scriptTool(python, fileOf("play_on_yoto"), "play_on_yoto");
      // biome-ignore lint/suspicious/noExplicitAny: the YAML as read
      const bp: any = parse(await readFile(fileOf("play_on_yoto"), "utf8"), {customTags});
      expect(play).toEqual({
        name: "play_on_yoto",
        description: bp.description,
        parameters: {
          type: "object",
          properties: {
            what: {type: "string", description: bp.fields.what.description},
            who: {type: "string", description: bp.fields.who.description},
          },
          required: ["what"],
        },
      });
      // Aliases go into the description; an object id starting with a digit gets "_" first.
      const aliased = await scriptTool(python, fileOf("whats_playing"), "2_whats_playing", ["Yoto now"]);
      expect(aliased.name).toBe("_2_whats_playing");
      expect(aliased.description?.endsWith(". Aliases: ['Yoto now']")).toBe(true);
      expect(aliased.parameters.required).toBeUndefined();
      expect(Object.keys(aliased.parameters.properties)).toEqual(["who"]);
    },
  );

  it.skipIf(!hassil.python)(
    "refuse a call without its required field, and publish a request the service reads",
    async () => {
      const python = hassil.python as string;
      const calls = await callScriptTool(python, fileOf("play_on_yoto"), [
        {args: {who: "Mia"}, context_id: "01JA"},
        {args: {what: "songs", where: "kitchen"}, context_id: "01JB"},
        {args: {what: 7}, context_id: "01JC"},
        {
          args: {what: ` The Sleepy Dragon `, who: "Mia"},
          context_id: "01JD",
          registry: {devices: {y: {name: "Bedroom Mini", area_id: "k"}}, areas: {k: "Kids Room"}},
        },
        {args: {what: `{{ states('x') }} "1984"`}, context_id: "01JE"},
      ]);
      expect(calls.map((c) => c.error)).toEqual([
        "required key not provided @ data['what']",
        "extra keys not allowed @ data['where']",
        "expected str @ data['what']",
        undefined,
        undefined,
      ]);
      expect(calls[3]?.topic).toBe("yoto/bridge/request/voice");
      expect(JSON.parse(calls[3]?.payload as string)).toEqual({
        trigger: "play",
        sentence: "play The Sleepy Dragon for Mia",
        slots: {what: "The Sleepy Dragon", who: "Mia"},
        device_id: null,
        area: null,
        devices: [],
        rooms: [["Kids Room", ["Bedroom Mini"], []]],
        language: "en",
        // One turn's calls share its context: each run adds a number of its own.
        transaction: expect.stringMatching(/^01JD_\d+$/),
      });
      expect(readVoiceRequest(JSON.parse(calls[4]?.payload as string))).toMatchObject({
        trigger: "play",
        slots: {what: `{{ states('x') }} "1984"`},
      });
      const [more, now] = await Promise.all([
        callScriptTool(python, fileOf("one_more_story"), [
          {args: {who: "Ben"}, context_id: "01JF"},
          {args: {}, context_id: "01JG"},
        ]),
        callScriptTool(python, fileOf("whats_playing"), [{args: {who: "Ben"}, context_id: "01JH"}]),
      ]);
      expect(more.map((c) => JSON.parse(c.payload as string)).map((b) => [b.trigger, b.sentence, b.slots])).toEqual([
        ["one_more_story", "one more story for Ben", {who: "Ben"}],
        ["one_more_story", "one more story", {}],
      ]);
      expect(JSON.parse(now[0]?.payload as string)).toMatchObject({
        trigger: "whats_playing",
        sentence: "what's playing for Ben",
        slots: {who: "Ben"},
      });
    },
  );

  it.skipIf(!hassil.python)(
    "answer with the service's answer of their own transaction, its error, or that nobody answered",
    async () => {
      const variables = {base: "yoto", transaction: "01JABC", within: 8};
      const topic = "yoto/bridge/response/voice/01JABC";
      const ok = (transaction: string, data: unknown) => JSON.stringify({status: "ok", data, transaction});
      const answers = await answerScript(hassil.python as string, fileOf("play_on_yoto"), [
        {
          variables,
          messages: [
            {topic, payload: ok("01JOTHER", {speech: "Not mine.", outcome: "played"})},
            {
              topic,
              payload: ok("01JABC", {
                speech: "Playing 1984 on Mia's Yoto.",
                outcome: "played",
                title: "1984",
                player: "Bedroom Mini",
                child: "Mia",
              }),
            },
          ],
        },
        {
          variables,
          messages: [
            {topic, payload: JSON.stringify({status: "error", data: {}, error: "Bad request.", transaction: "01JABC"})},
          ],
        },
        {variables, messages: [{topic, payload: ""}]},
        {variables, messages: [{topic, payload: ok("01JABC", {})}]},
      ]);
      expect(answers.map((a) => a.response)).toEqual([
        {speech: "Playing 1984 on Mia's Yoto.", outcome: "played", title: "1984", player: "Bedroom Mini", child: "Mia"},
        {speech: "Bad request.", outcome: "failed", title: null, player: null, child: null},
        {speech: "The Yoto service didn't answer.", outcome: "no_answer", title: null, player: null, child: null},
        {speech: "The Yoto service didn't answer.", outcome: "no_answer", title: null, player: null, child: null},
      ]);
      expect(answers[0]?.tool_result).toEqual({success: true, result: answers[0]?.response});
    },
  );
});
