import {type AnnounceRequest, parseAnnounceRequest} from "../../../announce/request.js";
import type {ActionPlugin} from "../../types.js";
import {oneOrMany, option} from "../helpers.js";

const TEXT = {type: "string", minLength: 1};
const FLAG = {type: ["boolean", "string"]};

/**
 * `player.announce`: speak a message, or play a URL or library item, on one or more players, then
 * put each back where it was. The run waits until every player is back (`wait: false` goes on at
 * once), so the next step happens after the announcement.
 */
export const announceAction: ActionPlugin = {
  kind: "action",
  type: "player.announce",
  description: "Player: announce a message or play audio, then go back to the story",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player"],
    properties: {
      player: {anyOf: [TEXT, {type: "array", items: TEXT, minItems: 1}]},
      message: TEXT,
      media: TEXT,
      item: TEXT,
      volume: {type: ["number", "string"]},
      resume: FLAG,
      only_if_idle: FLAG,
      chime: FLAG,
      language: TEXT,
      engine: TEXT,
      in_quiet: {type: "string", enum: ["play", "skip"]},
      wait: FLAG,
    },
  },
  compile(options, ctx) {
    for (const [i, p] of (oneOrMany(options.player) ?? []).entries())
      ctx.reference("player", p, Array.isArray(options.player) ? ["player", i] : ["player"]);
    const given = ["message", "media", "item"].filter((k) => options[k] !== undefined);
    if (given.length !== 1) ctx.fail("give one of 'message' (text to speak), 'media' (an http(s) URL) or 'item'");
    const read = option(options);
    return async (run) => {
      const {player, wait, ...rest} = read(run);
      const request: AnnounceRequest = parseAnnounceRequest({
        ...rest,
        ...(rest.volume !== undefined ? {volume: Number(rest.volume)} : {}),
        ...bools(rest, ["resume", "only_if_idle", "chime"]),
      });
      const players = (oneOrMany(player) ?? []).map(String);
      if (run.dryRun) {
        run.record(`player.announce ${players.map((p) => `'${p}'`).join(", ")} ${JSON.stringify(rest)}`);
        return;
      }
      const announcer = run.services.announcer;
      if (!announcer) throw new Error("announcements are not available here");
      // Several players at once is a broadcast: a player in quiet hours is left asleep unless `in_quiet: play`.
      const broadcast = players.length > 1;
      const all = Promise.all(players.map((p) => announcer.announce(p, request, {broadcast})));
      if (wait === false || wait === "false") {
        all.catch((err: unknown) =>
          run.services.log.warning(`player.announce in '${run.ruleId}' failed (${String(err)})`),
        );
        return;
      }
      await all;
    };
  },
};

/** `{{ }}` renders to text: "true"/"false" become booleans again. */
function bools(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k] === "true" ? true : o[k] === "false" ? false : o[k]]),
  );
}
