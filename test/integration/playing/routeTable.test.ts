import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {trackDidl, xmlText} from "../../helpers/dmrDevice.js";
import {type HeldMini, heldMini, MINI, REFUSED, WHY} from "../../helpers/heldPlayerRoutes.js";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {waitFor} from "../../helpers/players.js";

/**
 * Every route that can start sound, against a player the family plan holds (issue #87): each is
 * refused in its own shape with the gate's sentence, writes one line in Ben's journal naming the
 * route in a parent's words, and sends the player nothing (what the simulator's Mini heard is
 * counted). Each row asks for something no other row asks for on its route, so no two rows journal
 * the same words (the gate writes the same words once a minute).
 */
interface Row {
  route: string;
  kind: string;
  /** Asks, and checks the route's own answer. */
  ask(h: HeldMini): Promise<void>;
  /** The journal line before ", was not played: <why>"; undefined where the plan is never asked. */
  journal: string | undefined;
}

const API = "sent from the panel or the API";
const BRIDGE = "sent over MQTT (a Home Assistant button, script or automation)";
const MEDIA = "sent from Home Assistant's media player";
const VOICE = "asked for by voice";
const ASSISTANT = "asked by the assistant 'Kitchen tablet'";
const PAGE = "tapped on Ben's page";
const SELECT = "chosen from Ben's shelf in Home Assistant";
const CAST = "cast from Home Assistant, Music Assistant or another app";
const rule = (id: string) => `started by the rule '${id}'`;

async function http409(method: string, url: string, body?: unknown) {
  const res = await call(method, url, body);
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body).toEqual({error: REFUSED, code: "quiet"});
}
const command = (h: HeldMini, body: Record<string, unknown>) =>
  http409("POST", `${h.t.adminUrl}/api/players/${MINI}/commands`, body);
const mqttError = (answer: unknown) => expect(answer).toMatchObject({status: "error", error: REFUSED});
const ruleRefused = async (h: HeldMini, id: string) => {
  const trace = await h.rule(id);
  // The plan working, not a failure: "refused", so it does not make the rules degraded.
  expect(trace.result).toBe("refused");
  expect(trace.actions.map((a) => a.error)).toEqual([REFUSED]);
};
const voice = async (h: HeldMini, body: Record<string, unknown>) => {
  const said = await call("POST", `${h.t.adminUrl}/api/voice`, body);
  expect(said.status).toBe(200);
  expect(said.body, JSON.stringify(said.body)).toMatchObject({outcome: "refused", child: "Ben"});
};
/** A tool of the MCP server, for Ben: refused for him as voice is, journaled under the assistant's name. */
const REFUSED_BEN = {outcome: "refused", child: "Ben"};
const mcp =
  (name: string, args: Record<string, unknown> = {}) =>
  async (h: HeldMini) =>
    expect((await h.tool(name, {who: "Ben", ...args})).structuredContent).toMatchObject(REFUSED_BEN);
const page = async (h: HeldMini, path: string, body: Record<string, unknown>) => {
  const tapped = await call("POST", `${h.t.adminUrl}/api/children/Ben/shelf/${path}`, body);
  expect(tapped.status).toBe(200);
  expect(tapped.body).toEqual({outcome: "asleep", text: WHY});
};
const selected = (answer: unknown) =>
  expect(answer).toMatchObject({status: "ok", data: {outcome: "asleep", text: WHY}});
const NOTHING_CAST =
  "Nothing cast plays here to follow: start the first track with SetAVTransportURI and Play, then set the next";
const cast701 = async (h: HeldMini, action: string, args: Record<string, string>, why = WHY) => {
  const answer = await h.dmr.call(action, args);
  expect(answer.code, answer.body).toBe(701);
  expect(answer.error).toBe(why);
};
const castUri = (title: string, url: string) => ({
  CurrentURI: xmlText(url),
  CurrentURIMetaData: xmlText(trackDidl(url, title)),
});

const ROWS: Row[] = [
  // The panel and the API: player commands, a stream, a story.
  {
    route: "API",
    kind: "a card",
    ask: (h) => command(h, {command: "play_card", cardId: "songs"}),
    journal: `'Songs', ${API}`,
  },
  {
    route: "API",
    kind: "a card group",
    ask: (h) => command(h, {command: "play_group", group: "Bedtime"}),
    journal: `The card group 'Bedtime', ${API}`,
  },
  {route: "API", kind: "Play", ask: (h) => command(h, {command: "play"}), journal: `Play, ${API}`},
  {route: "API", kind: "Play again", ask: (h) => command(h, {command: "resume"}), journal: `Play again, ${API}`},
  {route: "API", kind: "Next", ask: (h) => command(h, {command: "next"}), journal: `Next, ${API}`},
  {route: "API", kind: "Previous", ask: (h) => command(h, {command: "previous"}), journal: `Previous, ${API}`},
  {route: "API", kind: "a seek", ask: (h) => command(h, {command: "seek", seconds: 30}), journal: `A seek, ${API}`},
  {
    route: "API",
    kind: "a stream",
    ask: (h) => http409("POST", `${h.t.adminUrl}/api/streams/evening/play`, {player: "Bedroom Mini"}),
    journal: `The stream 'evening', ${API}`,
  },
  {
    route: "API",
    kind: "a story",
    ask: (h) => http409("POST", `${h.t.adminUrl}/api/stories/cave/play`, {player: "Bedroom Mini", scene: "river"}),
    journal: `'The Cave', ${API}`,
  },
  // MQTT: the bridge's requests and its set topics.
  {
    route: "MQTT request",
    kind: "a card",
    ask: async (h) =>
      mqttError(await h.request("player/command", {player: "Bedroom Mini", command: "play_card", cardId: "songs"})),
    journal: `'Songs', ${BRIDGE}`,
  },
  {
    route: "MQTT request",
    kind: "Play",
    ask: async (h) => mqttError(await h.request("player/command", {player: MINI, command: "play"})),
    journal: `Play, ${BRIDGE}`,
  },
  {
    route: "MQTT request",
    kind: "Previous",
    ask: async (h) => mqttError(await h.request("player/command", {player: MINI, command: "previous"})),
    journal: `Previous, ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "a card",
    ask: async (h) => mqttError(await h.set({card: "moon"})),
    journal: `'The Moon', ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "Next",
    ask: async (h) => mqttError(await h.set({command: "next"})),
    journal: `Next, ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "a card group",
    ask: async (h) => mqttError(await h.setAttribute("card_group", "Bedtime")),
    journal: `The card group 'Bedtime', ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "a card (Play a card)",
    ask: async (h) => mqttError(await h.setAttribute("card_option", "The Stars")),
    journal: `'The Stars', ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "Play again",
    ask: async (h) => mqttError(await h.setAttribute("state", "play")),
    journal: `Play again, ${BRIDGE}`,
  },
  {
    route: "MQTT set",
    kind: "a seek",
    ask: async (h) => mqttError(await h.setAttribute("seek", "30")),
    journal: `A seek, ${BRIDGE}`,
  },
  // Home Assistant's media player.
  {
    route: "media player",
    kind: "a card",
    ask: async (h) => mqttError(await h.media("playmedia", JSON.stringify({media_type: "music", media_id: "Songs"}))),
    journal: `'Songs', ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "a stream",
    ask: async (h) =>
      mqttError(await h.media("playmedia", JSON.stringify({media_type: "music", media_id: "stream:evening"}))),
    journal: `The stream 'evening', ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "a library item",
    ask: async (h) =>
      mqttError(await h.media("playmedia", JSON.stringify({media_type: "music", media_id: "library:Lullaby"}))),
    journal: `The library item 'Lullaby', ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "a URL",
    ask: async (h) =>
      mqttError(
        await h.media("playmedia", JSON.stringify({media_type: "music", media_id: `${h.t.audioUrl}/nowhere.mp3`})),
      ),
    journal: `Something to play (a URL), ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "Play",
    ask: async (h) => mqttError(await h.media("play", "PLAY")),
    journal: `Play again, ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "Next",
    ask: async (h) => mqttError(await h.media("next", "NEXT")),
    journal: `Next, ${MEDIA}`,
  },
  {
    route: "media player",
    kind: "Previous",
    ask: async (h) => mqttError(await h.media("previous", "PREVIOUS")),
    journal: `Previous, ${MEDIA}`,
  },
  // Every rule action that plays.
  {
    route: "rule",
    kind: "player.play_card",
    ask: (h) => ruleRefused(h, "rule_card"),
    journal: `'Songs', ${rule("rule_card")}`,
  },
  {
    route: "rule",
    kind: "player.play_card group",
    ask: (h) => ruleRefused(h, "rule_group"),
    journal: `The card group 'Bedtime', ${rule("rule_group")}`,
  },
  {
    route: "rule",
    kind: "player.resume",
    ask: (h) => ruleRefused(h, "rule_resume"),
    journal: `Play again, ${rule("rule_resume")}`,
  },
  {route: "rule", kind: "player.next", ask: (h) => ruleRefused(h, "rule_next"), journal: `Next, ${rule("rule_next")}`},
  {
    route: "rule",
    kind: "player.previous",
    ask: (h) => ruleRefused(h, "rule_previous"),
    journal: `Previous, ${rule("rule_previous")}`,
  },
  {
    route: "rule",
    kind: "player.play_stream",
    ask: (h) => ruleRefused(h, "rule_stream"),
    journal: `The stream 'evening', ${rule("rule_stream")}`,
  },
  {
    route: "rule",
    kind: "story.start",
    ask: (h) => ruleRefused(h, "rule_story"),
    journal: `'The Cave', ${rule("rule_story")}`,
  },
  {
    route: "rule",
    kind: "story.goto",
    ask: (h) => ruleRefused(h, "rule_goto"),
    journal: `'The Cave', ${rule("rule_goto")}`,
  },
  // Voice.
  {
    route: "voice",
    kind: "a card",
    ask: (h) => voice(h, {trigger: "play", slots: {what: "songs", who: "Ben"}}),
    journal: `'Songs', ${VOICE}`,
  },
  {
    route: "voice",
    kind: "story radio",
    ask: (h) => voice(h, {trigger: "play", slots: {what: "story radio", who: "Ben"}}),
    journal: `'Ben's story radio', ${VOICE}`,
  },
  {
    route: "voice",
    kind: "Play again",
    ask: (h) => voice(h, {trigger: "resume", slots: {who: "Ben"}}),
    journal: `Play again, ${VOICE}`,
  },
  {route: "assistant", kind: "a card", ask: mcp("play_on_yoto", {what: "songs"}), journal: `'Songs', ${ASSISTANT}`},
  {route: "assistant", kind: "Play again", ask: mcp("resume_yoto"), journal: `Play again, ${ASSISTANT}`},
  // The child's page, and the child's shelf in Home Assistant.
  {route: "page", kind: "a card", ask: (h) => page(h, "play", {id: h.shelfItem("Songs")}), journal: `'Songs', ${PAGE}`},
  {
    route: "page",
    kind: "a stream",
    ask: (h) => page(h, "play", {id: h.shelfItem("Evening")}),
    journal: `'Evening', ${PAGE}`,
  },
  {
    route: "page",
    kind: "a library item",
    ask: (h) => page(h, "play", {id: h.shelfItem("Lullaby")}),
    journal: `'Lullaby', ${PAGE}`,
  },
  {
    route: "page",
    kind: "story radio",
    ask: (h) => page(h, "play", {id: "story-radio"}),
    journal: `'Story radio', ${PAGE}`,
  },
  {
    route: "page",
    kind: "Play again",
    ask: (h) => page(h, "control", {action: "resume"}),
    journal: `Play again, ${PAGE}`,
  },
  {route: "page", kind: "Next", ask: (h) => page(h, "control", {action: "next"}), journal: `Next, ${PAGE}`},
  {
    route: "shelf select",
    kind: "a card",
    ask: async (h) => selected(await h.request("shelf/play", {child: "Ben", title: "Songs"})),
    journal: `'Songs', ${SELECT}`,
  },
  {
    route: "shelf select",
    kind: "story radio",
    ask: async (h) => selected(await h.request("shelf/story_radio", {child: "Ben"})),
    journal: `'Story radio', ${SELECT}`,
  },
  // A cast (UPnP), each asking for something else. Play first: a Play right after the URI it plays
  // is the same tap as that URI, one line (heldPlays.ts).
  {route: "UPnP", kind: "Play", ask: (h) => cast701(h, "Play", {Speed: "1"}), journal: `Play, ${CAST}`},
  {
    route: "UPnP",
    kind: "SetAVTransportURI",
    ask: (h) => cast701(h, "SetAVTransportURI", castUri("The Owl", `${h.t.audioUrl}/owl.mp3`)),
    journal: `'The Owl', ${CAST}`,
  },
  // Nothing is cast on the Mini (the story row needs the cave there, which ended the cast): SetNext
  // is refused before the plan is asked, with its own 701 and no journal line.
  {
    route: "UPnP",
    kind: "SetNextAVTransportURI, nothing cast",
    ask: (h) =>
      cast701(
        h,
        "SetNextAVTransportURI",
        {
          NextURI: xmlText(`${h.t.audioUrl}/fox.mp3`),
          NextURIMetaData: xmlText(trackDidl(`${h.t.audioUrl}/fox.mp3`, "The Fox")),
        },
        NOTHING_CAST,
      ),
    journal: undefined,
  },
  {route: "UPnP", kind: "Next", ask: (h) => cast701(h, "Next", {}), journal: `Next, ${CAST}`},
  {
    route: "UPnP",
    kind: "Seek",
    ask: (h) => cast701(h, "Seek", {Unit: "REL_TIME", Target: "00:00:30"}),
    journal: `A jump in the card, ${CAST}`,
  },
];

describe("every route that can start sound, against a player the plan holds", () => {
  let h: HeldMini;
  beforeAll(async () => {
    h = await heldMini();
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("no two rows journal the same words", () => {
    const lines = ROWS.flatMap((r) => (r.journal ? [r.journal] : []));
    expect(new Set(lines).size).toBe(lines.length);
  });

  it.each(ROWS.map((r) => [`${r.route}: ${r.kind}`, r] as const))(
    "%s is refused, journalled once, and sends the player nothing",
    async (_name, row) => {
      const mini = h.sim.player(MINI);
      const heard = mini.heard.length;
      const card = mini.eventsSnapshot().cardId;
      const journal = (await journalRefusals(h.t)).length;
      await row.ask(h);
      const after = await journalRefusals(h.t);
      const lines = after.slice(0, after.length - journal);
      expect(lines.map((e) => e.text)).toEqual(row.journal ? [`${row.journal}, was not played: ${WHY}`] : []);
      for (const line of lines) expect(line.child).toBe("Ben");
      expect(mini.heard.slice(heard)).toEqual([]);
      expect(mini.eventsSnapshot().cardId).toBe(card);
    },
    30_000,
  );

  it("plays once the plan is lifted: the counter sees a command", async () => {
    // The parent takes Ben out of the plan: nothing holds the Mini.
    const lifted = await call("DELETE", `${h.t.adminUrl}/api/children/Ben`);
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(204);
    await waitFor(() => h.t.app.quietHours.period(MINI) === undefined, "the Mini no longer quiet");
    const mini = h.sim.player(MINI);
    const heard = mini.heard.length;
    const played = await call("POST", `${h.t.adminUrl}/api/players/${MINI}/commands`, {
      command: "play_card",
      cardId: "songs",
    });
    expect(played.status, JSON.stringify(played.body)).toBe(200);
    await waitFor(() => mini.eventsSnapshot().cardId === "songs", "the songs on the Mini");
    expect(mini.heard.slice(heard)).toContain("card/start");
  }, 30_000);
});
