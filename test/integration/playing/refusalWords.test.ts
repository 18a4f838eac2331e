import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {untilText} from "../../../src/parents/quietWords.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {addSongsCard, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {assistantToken, callOnce} from "../../helpers/mcp.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";
import {caveApp} from "../../helpers/stories.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

/**
 * The words of a refusal say the plan's actual reason, once (issue #90): a child's bedtime, a
 * child's day of listening used up, or quiet hours a parent set; every HTTP route that answers a
 * refusal says the same sentence (a 409 adds how a parent ends it; an announcement left out and a
 * child's page say the sentence itself).
 */
interface Reason {
  name: string;
  player: string;
  playerName: string;
  /** Sets the plan (or the quiet) that holds the player. */
  hold(t: TestApp): Promise<void>;
  /** The sentence, given until when the player is held as the service says it. */
  why(until: string): string;
  how: string;
  /** The child whose page is tapped, where a child's plan holds the player. */
  child?: string;
  /** Whom an assistant names to play for: the child, or the player held. */
  who: string;
  /** What an assistant is given to say: voice's spoken words for the same reason, given `until` as `why` is. */
  spoken: (until: string) => RegExp;
}

const ALLOW = `A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`;
const END = `A parent can end it: "End now" on the player (Home Assistant's "End quiet hours" button)`;

const REASONS: Reason[] = [
  {
    name: "a child's bedtime",
    player: MINI,
    playerName: "Bedroom Mini",
    child: "Mia",
    who: "Mia",
    // The day as the service reckoned it for the refusal's own words ("tomorrow 07:00", or "07:00").
    spoken: (until) =>
      new RegExp(`^Mia is asleep: quiet until \\d{1,2}:\\d\\d${until.startsWith("tomorrow") ? " tomorrow" : ""}\\.$`),
    hold: async (t) => {
      const res = await call("PUT", `${t.adminUrl}/api/children/Mia`, {
        players: ["Bedroom Mini"],
        schedule: nightNow(),
        shelf: ["stream:tunnel_audio"],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    why: (until) => `Mia is asleep: 'Bedroom Mini' is quiet until ${until}`,
    how: ALLOW,
  },
  {
    name: "a child's day of listening used up",
    player: LIVING,
    playerName: "Living Room",
    child: "Ben",
    who: "Ben",
    spoken: () => /^Ben has listened enough for today: quiet until midnight\.$/,
    hold: async (t) => {
      const res = await call("PUT", `${t.adminUrl}/api/children/Ben`, {
        players: ["Living Room"],
        budget: {minutes: 0},
        shelf: ["stream:tunnel_audio"],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    why: (until) => `Ben's listening for today is used up: 'Living Room' is quiet until ${until}`,
    how: ALLOW,
  },
  {
    name: "quiet hours a parent set",
    player: LIVING,
    playerName: "Living Room",
    who: "Living Room",
    spoken: () => /^Living Room is quiet until 23:59\.$/,
    hold: async (t) => {
      // Ben leaves the plan, then a parent puts the Living Room in quiet hours by hand.
      expect((await call("DELETE", `${t.adminUrl}/api/children/Ben`)).status).toBe(204);
      await waitFor(() => t.app.quietHours.period(LIVING) === undefined, "the Living Room no longer quiet");
      const res = await call("POST", `${t.adminUrl}/api/players/${LIVING}/quiet`, {until: "23:59"});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    why: (until) => `'Living Room' is in quiet hours until ${until}`,
    how: END,
  },
];

let sim: YotoSimulator;
let t: TestApp;
/** An assistant's token, made when its first row asks. */
let token: string | undefined;
beforeAll(async () => {
  sim = await startSimulator();
  addSongsCard(sim);
  ({t} = await caveApp(sim, {timeZone: "UTC", republishDelayMs: () => 0}));
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

describe.each(REASONS)("a refusal for $name", (reason) => {
  let until: string;
  let why: string;
  beforeAll(async () => {
    await reason.hold(t);
    await waitFor(() => t.app.quietHours.period(reason.player) !== undefined, `${reason.playerName} quiet`);
    const period = t.app.quietHours.period(reason.player);
    until = untilText(period?.until ?? 0, Date.now(), "UTC");
    why = reason.why(until);
  }, 30_000);

  const refused = async (method: string, path: string, body: unknown) => {
    const res = await call(method, `${t.adminUrl}${path}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toEqual({error: `${why}. ${reason.how}`, code: "quiet"});
  };

  it.each([
    ["a card", (p: string) => [`/api/players/${p}/commands`, {command: "play_card", cardId: "songs"}]],
    ["Play again", (p: string) => [`/api/players/${p}/commands`, {command: "resume"}]],
    ["a stream", (p: string) => ["/api/streams/tunnel_audio/play", {player: p}]],
    ["a story", (p: string) => ["/api/stories/cave/play", {player: p}]],
  ] as const)("%s over HTTP: 409 with the reason once, then how a parent ends it", async (_kind, ask) => {
    const [path, body] = ask(reason.player);
    await refused("POST", path as string, body);
  });

  it("an announcement left out says the same sentence", async () => {
    const res = await call("POST", `${t.adminUrl}/api/players/${reason.player}/announce`, {
      message: "Dinner",
      in_quiet: "skip",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      result: "skipped",
      detail: `${why}; the announcement left it asleep (send in_quiet: "play" to announce through quiet hours)`,
    });
  });

  // Quiet hours a parent set on a player hold no child's page: nothing there to tap, and nothing
  // offered that only a child's plan can do.
  if (!reason.child)
    it("offers no child's Allow, as no child's plan holds the player", () => {
      expect(reason.how).not.toMatch(/Family page|Allow/);
    });
  else
    it("a tap on the child's page says the same sentence", async () => {
      const shelf = await call("GET", `${t.adminUrl}/api/children/${reason.child}/shelf`);
      const id = (shelf.body.items as Array<{id: string; title: string}>)[0]?.id;
      const tapped = await call("POST", `${t.adminUrl}/api/children/${reason.child}/shelf/play`, {id});
      expect(tapped.status).toBe(200);
      expect(tapped.body).toEqual({outcome: "asleep", text: why});
    });

  // An assistant (MCP) is a route of its own: refused in the same words, journalled under its name.
  it("an assistant's play is refused for the same reason, in voice's spoken words, journalled under the assistant's name", async () => {
    token ??= await assistantToken(t.adminUrl, {name: "Kitchen tablet"});
    const before = (await journalRefusals(t)).length;
    const answer = await callOnce(t.adminUrl, token, "play_on_yoto", {what: "songs", who: reason.who});
    expect(answer.structuredContent).toMatchObject({outcome: "refused"});
    expect((answer.structuredContent as {speech?: string}).speech).toMatch(reason.spoken(until));
    const after = await journalRefusals(t);
    // A child's journal, newest first; quiet hours on a player no child's plan holds write in none.
    expect(after.slice(0, after.length - before)).toEqual(
      reason.child
        ? [{child: reason.child, text: `'Songs', asked by the assistant 'Kitchen tablet', was not played: ${why}`}]
        : [],
    );
  });

  it("says no reason twice", () => {
    const words = `${why}. ${reason.how}`;
    expect(words).not.toMatch(/bedtime or|the day's listening used\)|nothing plays before then/);
    expect(words.match(/quiet until|in quiet hours until/g)).toHaveLength(1);
  });
});
