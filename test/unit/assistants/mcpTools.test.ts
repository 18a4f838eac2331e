import {describe, expect, it} from "vitest";
import {
  FOR_YOTOS,
  MAX_FIELD_DESCRIPTION,
  voiceRequestOf,
  YOTO_TOOLS,
  type YotoTool,
} from "../../../src/assistants/mcpTools.js";
import {convertToOpenapi} from "../../helpers/voluptuousConvert.js";
import {convertToVoluptuous, haAccepts, type Release} from "../../helpers/voluptuousOpenapi.js";

const tool = (name: string) => YOTO_TOOLS.find((t) => t.name === name) as YotoTool;

describe("the MCP tools as Home Assistant's agents get them", () => {
  it("keeps every field description within 128 characters and every tool's within 1024, each naming the media search", () => {
    const long: string[] = [];
    for (const t of YOTO_TOOLS) {
      for (const [field, schema] of Object.entries(t.inputSchema.properties)) {
        const words = String(schema.description ?? "");
        if (!words) long.push(`${t.name}.${field} has no description`);
        if (words.length > MAX_FIELD_DESCRIPTION) long.push(`${t.name}.${field}: ${words.length}`);
      }
      if (t.description.length > 1024) long.push(`${t.name}: ${t.description.length}`);
      expect(t.description, t.name).toContain(FOR_YOTOS);
    }
    expect(long).toEqual([]);
    expect(FOR_YOTOS).toBe("Use this for Yoto players, not the built-in media search (HassMediaSearchAndPlay).");
  });

  it("offers fourteen tools whose schemas voluptuous-openapi converts (one that did not would cost every tool)", () => {
    expect(YOTO_TOOLS.map((t) => t.name)).toEqual([
      "play_on_yoto",
      "pause_yoto",
      "resume_yoto",
      "stop_yoto",
      "next_on_yoto",
      "previous_on_yoto",
      "set_yoto_volume",
      "whats_playing_on_yoto",
      "one_more_story",
      "yoto_listened_today",
      "yoto_bedtime",
      "yoto_week",
      "yoto_last_night",
      "yoto_shelf",
    ]);
    for (const t of YOTO_TOOLS) expect(() => convertToVoluptuous(t.inputSchema), t.name).not.toThrow();
    expect(haAccepts(tool("play_on_yoto").inputSchema, {what: "the gruffalo", who: "Mia", language: "de"}).ok).toBe(
      true,
    );
    expect(haAccepts(tool("play_on_yoto").inputSchema, {who: "Mia"}).ok).toBe(false);
    expect(haAccepts(tool("set_yoto_volume").inputSchema, {percent: 40}).ok).toBe(true);
    expect(haAccepts(tool("set_yoto_volume").inputSchema, {percent: 140}).ok).toBe(false);
    expect(haAccepts(tool("set_yoto_volume").inputSchema, {change: "sideways"}).ok).toBe(false);
  });
});

describe("the allowed values of an argument, through Home Assistant's round trip to the model", () => {
  /** What the model is shown of a tool's argument: the input schema to voluptuous and back. */
  const shown = (name: string, field: string, release: Release) =>
    (
      convertToOpenapi(convertToVoluptuous(tool(name).inputSchema, undefined, release)) as {
        properties: Record<string, Record<string, unknown>>;
      }
    ).properties[field];

  it("loses an enum alone in 0.1.0, which reads no enum (the shape the tools had)", () => {
    const bare = {
      type: "object",
      properties: {change: {type: "string", enum: ["up", "down"], description: "Up or down."}},
    };
    expect(
      (convertToOpenapi(convertToVoluptuous(bare, undefined, "0.1.0")) as {properties: unknown}).properties,
    ).toEqual({
      change: {type: "string", description: "Up or down."},
    });
    expect(haAccepts(bare, {change: "sideways"}, "0.1.0").ok).toBe(true);
  });

  it.each(["0.1.0", "16d080c"] as const)("keeps change and language's values with voluptuous-openapi %s", (release) => {
    for (const [name, field, values] of [
      ["set_yoto_volume", "change", ["up", "down"]],
      ["play_on_yoto", "language", ["en", "de"]],
      ["yoto_shelf", "language", ["en", "de"]],
    ] as const) {
      const field$ = shown(name, field, release);
      // Newer releases keep the enum; 0.1.0 keeps the pattern. Either way the description names each value.
      if (release === "0.1.0") expect(field$).toMatchObject({type: "string", pattern: `^(${values.join("|")})$`});
      else expect(field$).toMatchObject({type: "string", enum: values});
      for (const value of values) expect(String(field$?.description)).toContain(value);
      const args = name === "play_on_yoto" ? {what: "songs"} : name === "yoto_shelf" ? {child: "Mia"} : {};
      expect(haAccepts(tool(name).inputSchema, {...args, [field]: values[1]}, release).ok, `${name} ${release}`).toBe(
        true,
      );
      expect(haAccepts(tool(name).inputSchema, {...args, [field]: "sideways"}, release).ok, `${name} ${release}`).toBe(
        false,
      );
    }
  });
});

describe("a tool call is the voice request of the same words", () => {
  it.each([
    [
      "play_on_yoto",
      {what: " the gruffalo ", who: "Mia"},
      {trigger: "play", sentence: "play the gruffalo for Mia", slots: {who: "Mia", what: "the gruffalo"}},
    ],
    ["pause_yoto", {}, {trigger: "pause", sentence: "pause", slots: {}}],
    ["next_on_yoto", {who: "Ben"}, {trigger: "next", sentence: "next for Ben", slots: {who: "Ben"}}],
    [
      "set_yoto_volume",
      {percent: 50},
      {trigger: "volume_set", sentence: "set the volume to 50%", slots: {level: "50%"}},
    ],
    [
      "set_yoto_volume",
      {change: "down", who: "Mia"},
      {trigger: "volume_down", sentence: "turn it down for Mia", slots: {who: "Mia"}},
    ],
    ["whats_playing_on_yoto", {}, {trigger: "whats_playing", sentence: "whats playing", slots: {}}],
    ["one_more_story", {who: "Mia", language: "de"}, {trigger: "one_more_story", language: "de", slots: {who: "Mia"}}],
    ["yoto_listened_today", {}, {trigger: "listened"}],
    ["yoto_bedtime", {}, {trigger: "bedtime"}],
  ] as const)("%s %j", (name, args, request) => {
    expect(voiceRequestOf(tool(name), args, "a1")).toMatchObject({device_id: "mcp:a1", language: "en", ...request});
  });

  it("asks for percent or change, one of them", () => {
    expect(voiceRequestOf(tool("set_yoto_volume"), {}, "a1")).toEqual({missing: "either"});
    expect(voiceRequestOf(tool("set_yoto_volume"), {percent: 3, change: "up"}, "a1")).toEqual({missing: "one"});
  });
});
