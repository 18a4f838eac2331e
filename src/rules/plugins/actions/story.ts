import type {ActionPlugin, RunContext} from "../../types.js";
import {option} from "../helpers.js";
import {byRule} from "./byRule.js";

const PLAYER = {type: "string", minLength: 1};

function stories(run: RunContext) {
  const found = run.services.stories;
  if (!found) throw new Error("stories are not available here");
  return found;
}

/** Begin a story on a player, at its start or at `scene`, with optional starting variables. */
const storyStart: ActionPlugin = {
  kind: "action",
  type: "story.start",
  description: "Start a story on a player",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "story"],
    properties: {player: PLAYER, story: {type: "string"}, scene: {type: "string"}, variables: {type: "object"}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      const what = `story.start '${o.story}' on '${o.player}'${o.scene ? ` at '${o.scene}'` : ""}`;
      if (run.dryRun) return run.record(what);
      await stories(run).play(String(o.player), String(o.story), byRule(run), {
        scene: o.scene as string | undefined,
        variables: o.variables as Record<string, unknown> | undefined,
      });
    };
  },
};

/** Send a player to another scene of the story it is in (a rule's choice, not a button). */
const storyGoto: ActionPlugin = {
  kind: "action",
  type: "story.goto",
  description: "Move a player to a scene of its story",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "scene"],
    properties: {player: PLAYER, scene: {type: "string", minLength: 1}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      if (run.dryRun) return run.record(`story.goto '${o.scene}' on '${o.player}'`);
      await stories(run).goto(String(o.player), String(o.scene), byRule(run));
    };
  },
};

/** Set story variables for the player's story (values may be `{{ }}`, e.g. a counter). */
const storySet: ActionPlugin = {
  kind: "action",
  type: "story.set",
  description: "Set story variables for a player",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "variables"],
    properties: {player: PLAYER, variables: {type: "object", minProperties: 1}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      if (run.dryRun) {
        run.record(`story.set ${JSON.stringify(o.variables)} for '${o.player}'`);
        // A simulation's story is its own copy: later steps read the new values, as they would live.
        run.services.stories?.set(String(o.player), o.variables as Record<string, unknown>);
        return;
      }
      stories(run).set(String(o.player), o.variables as Record<string, unknown>);
    };
  },
};

/** Play a stream on a player through its card (made the first time it is needed). */
const playStream: ActionPlugin = {
  kind: "action",
  type: "player.play_stream",
  description: "Play a stream on a player",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "stream"],
    properties: {player: PLAYER, stream: {type: "string", minLength: 1}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    ctx.reference("stream", options.stream, ["stream"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      if (run.dryRun) return run.record(`player.play_stream '${o.stream}' on '${o.player}'`);
      const cards = run.services.cards;
      if (!cards) throw new Error("cards are not available here");
      await cards.playStream(String(o.player), String(o.stream), byRule(run));
    };
  },
};

export const storyActions = [storyStart, storyGoto, storySet, playStream];
