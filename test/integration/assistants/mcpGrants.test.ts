import type {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {assistantToken, mcpClient} from "../../helpers/mcp.js";
import {waitFor} from "../../helpers/players.js";

/**
 * What each assistant may do (issue #98), over the real /mcp with the SDK's client: a read-only
 * assistant only asks, one given a child acts for and reads that child alone, whatever it names.
 */
const startLinked = linkedBridge();
const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
/** A third Yoto, Ben's, so the living room's is a room's Yoto no child listens on. */
const kitchen = {prepare: (sim: YotoSimulator) => void sim.addPlayer(KITCHEN)};
const KITCHEN = {deviceId: "y9kitchen000000000000000", name: "Kitchen", deviceType: "v3", deviceFamily: "v3"};
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function connect(adminUrl: string, ask: Record<string, unknown>): Promise<Client> {
  const client = await mcpClient(adminUrl, await assistantToken(adminUrl, ask));
  clients.push(client);
  return client;
}

type Result = Awaited<ReturnType<Client["callTool"]>>;
const said = (result: Result) => (result.content as Array<{text: string}>)[0]?.text;
const answer = (result: Result) => [result.isError ?? false, said(result)];
const journalOf = async (adminUrl: string, child: string) =>
  (await call("GET", `${adminUrl}/api/children/${child}`)).body.journal as Array<{what: string; text: string}>;

describe("POST /api/assistants with what the assistant may do", () => {
  it("refuses a child the plan does not have and a read_only that is no boolean, and lists the grants", async () => {
    const {t} = await startLinked();
    const url = t.app.admin.url;
    const post = (body: unknown) => call("POST", `${url}/api/assistants`, body);
    expect((await post({name: "Mia's companion", children: ["Mia"]})).body).toEqual({
      error: "The family plan has no children yet: add them on the Family page before giving an assistant one child",
      code: "unknown_child",
    });
    expect((await call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await call("PUT", `${url}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
    const zoe = await post({name: "Zoe's", children: ["Zoe"]});
    expect([zoe.status, zoe.body]).toEqual([
      400,
      {error: "There is no child 'Zoe' in the family plan: the children are Ben, Mia", code: "unknown_child"},
    ]);
    const yes = await post({name: "Grandma's tablet", read_only: "yes"});
    expect([yes.status, (yes.body as {error: string}).error]).toEqual([
      400,
      '"read_only" is true (the assistant may only ask what is playing, what was listened to, bedtime, the week, last night and a shelf) or false',
    ]);
    const many = await post({name: "Everyone", children: "Mia"});
    expect((many.body as {error: string}).error).toBe(
      '"children" lists the children the assistant may act for, by name (["Mia"]), at most 20; leave it out for every child',
    );
    // Nothing was made by the refusals.
    expect((await call("GET", `${url}/api/assistants`)).body.assistants).toEqual([]);

    expect((await post({name: "Grandma's tablet", read_only: true})).status).toBe(201);
    const mias = await post({name: "Mia's companion", children: ["mia", "Mia"]});
    expect((mias.body as {assistant: unknown}).assistant).toMatchObject({read_only: false, children: ["Mia"]});
    expect((await post({name: "Kitchen"})).status).toBe(201);
    const listed = (await call("GET", `${url}/api/assistants`)).body.assistants as Array<Record<string, unknown>>;
    expect(listed.map((a) => [a.name, a.read_only, a.children])).toEqual([
      ["Kitchen", false, []],
      ["Mia's companion", false, ["Mia"]],
      ["Grandma's tablet", true, []],
    ]);
  });
});

describe("a read-only assistant", () => {
  it("asks what's playing and reads a shelf, and every acting tool is refused with nothing played or journaled", async () => {
    const {t, sim} = await startLinked();
    const url = t.app.admin.url;
    expect((await call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    const grandma = await connect(url, {name: "Grandma's tablet", read_only: true});
    // Home Assistant caches the list: it may still show every tool, the refusal holds all the same.
    expect((await grandma.listTools()).tools).toHaveLength(14);
    const refused = [
      true,
      "The assistant 'Grandma's tablet' may only ask (what's playing, listened today, bedtime, the week, last night, a shelf): a parent lets it play on the Assistants page",
    ];
    const journal = (await journalOf(url, "Mia")).length;
    expect(answer(await grandma.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Mia"}}))).toEqual(
      refused,
    );
    for (const name of ["pause_yoto", "resume_yoto", "stop_yoto", "next_on_yoto", "one_more_story"])
      expect(answer(await grandma.callTool({name, arguments: {who: "Mia"}}))).toEqual(refused);
    expect(answer(await grandma.callTool({name: "set_yoto_volume", arguments: {percent: 90}}))).toEqual(refused);
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe("none");
    expect((await journalOf(url, "Mia")).length).toBe(journal);

    expect(answer(await grandma.callTool({name: "whats_playing_on_yoto", arguments: {who: "Mia"}}))).toEqual([
      false,
      "Nothing is playing on Mia's Yoto.",
    ]);
    // The week and the night only read: a read-only assistant's too.
    expect(answer(await grandma.callTool({name: "yoto_week", arguments: {who: "Mia"}}))).toEqual([
      false,
      "Mia hasn't listened to anything this week.",
    ]);
    expect(answer(await grandma.callTool({name: "yoto_last_night", arguments: {who: "Mia"}}))).toEqual([
      false,
      "Mia slept through last night.",
    ]);
    const shelf = await grandma.callTool({name: "yoto_shelf", arguments: {child: "Mia"}});
    expect(shelf.isError).toBeFalsy();
    expect(shelf.structuredContent).toMatchObject({child: "Mia"});
  });
});

describe("an assistant given one child", () => {
  it("acts on that child's Yoto with nobody named, and refuses another child, a room's Yoto and their shelf", async () => {
    const {t, sim} = await startLinked(kitchen);
    const url = t.app.admin.url;
    expect((await call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await call("PUT", `${url}/api/children/Ben`, {players: ["Kitchen"]})).status).toBe(200);
    const mias = await connect(url, {name: "Mia's companion", children: ["Mia"]});
    const acts = "The assistant 'Mia's companion' acts for Mia only.";

    expect(answer(await mias.callTool({name: "play_on_yoto", arguments: {what: "songs"}}))).toEqual([
      false,
      "Playing “Songs” on Mia's Yoto.",
    ]);
    await waitFor(() => t.app.players.get(MINI)?.playback.status === "playing", "Mia's Yoto playing");
    expect(said(await mias.callTool({name: "whats_playing_on_yoto", arguments: {}}))).toMatch(
      /^Mia's Yoto is playing “Songs”/,
    );

    // Another child, a Yoto no child of its own listens on (the living room's), in any words.
    for (const who of ["Ben", "Kitchen", "Living Room", "the living room yoto"]) {
      const played = await mias.callTool({name: "play_on_yoto", arguments: {what: "songs", who}});
      expect(answer(played)).toEqual([false, acts]);
      expect(played.structuredContent).toMatchObject({outcome: "refused"});
    }
    expect([sim.player(LIVING).eventsSnapshot().cardId, sim.player(KITCHEN.deviceId).eventsSnapshot().cardId]).toEqual([
      "none",
      "none",
    ]);
    for (const name of ["pause_yoto", "stop_yoto", "whats_playing_on_yoto", "yoto_listened_today", "yoto_bedtime"])
      expect(answer(await mias.callTool({name, arguments: {who: "Ben"}}))).toEqual([false, acts]);
    expect(
      answer(await mias.callTool({name: "set_yoto_volume", arguments: {who: "Living Room", percent: 10}})),
    ).toEqual([false, acts]);
    expect(answer(await mias.callTool({name: "one_more_story", arguments: {who: "Ben"}}))).toEqual([false, acts]);
    expect(answer(await mias.callTool({name: "yoto_shelf", arguments: {child: "Ben"}}))).toEqual([
      true,
      "The assistant 'Mia's companion' acts for Mia only",
    ]);
    expect((await mias.callTool({name: "yoto_shelf", arguments: {child: "mia"}})).structuredContent).toMatchObject({
      child: "Mia",
    });
    // Mia's own, named: still hers.
    expect(said(await mias.callTool({name: "pause_yoto", arguments: {who: "Mia"}}))).toBe("Paused Mia's Yoto.");
  });

  it("asks which of its children with nobody named, and names only them", async () => {
    const {t} = await startLinked(kitchen);
    const url = t.app.admin.url;
    expect((await call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await call("PUT", `${url}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
    expect((await call("PUT", `${url}/api/children/Zoe`, {players: ["Kitchen"]})).status).toBe(200);
    const two = await connect(url, {name: "Twins", children: ["Mia", "Ben"]});
    // Nothing on anywhere: no question to ask.
    expect(said(await two.callTool({name: "whats_playing_on_yoto", arguments: {}}))).toBe(
      "Nothing is playing on any Yoto.",
    );
    expect(said(await two.callTool({name: "yoto_bedtime", arguments: {}}))).toBe("For whom? I know Mia and Ben.");
    expect(said(await two.callTool({name: "yoto_bedtime", arguments: {who: "Zoe"}}))).toBe(
      "The assistant 'Twins' acts for Mia and Ben only.",
    );
    expect(said(await two.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Ben"}}))).toBe(
      "Playing “Songs” on Ben's Yoto.",
    );
  });
});
