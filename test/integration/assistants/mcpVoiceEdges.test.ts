import type {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {assistantToken, mcpClient} from "../../helpers/mcp.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();
const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function assistant(adminUrl: string): Promise<Client> {
  client = await mcpClient(adminUrl, await assistantToken(adminUrl, {name: "Laptop"}));
  return client;
}

const said = (result: Awaited<ReturnType<Client["callTool"]>>) => (result.content as Array<{text: string}>)[0]?.text;

/** Mia listens on the Bedroom Mini, Ben in the living room. */
async function family(adminUrl: string): Promise<void> {
  expect((await call("PUT", `${adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
  expect((await call("PUT", `${adminUrl}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
}

describe("what an assistant says that a satellite seldom does", () => {
  it("stops and pauses every Yoto, or each one named, and asks which for a play meant for two", async () => {
    const {t, sim} = await startLinked();
    await family(t.app.admin.url);
    const mcp = await assistant(t.app.admin.url);
    const status = (id: string) => t.app.players.get(id)?.playback.status;
    const playBoth = async () => {
      expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Mia"}}))).toBe(
        "Playing “Songs” on Mia's Yoto.",
      );
      expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Ben"}}))).toBe(
        "Playing “Songs” on Ben's Yoto.",
      );
      await waitFor(() => status(MINI) === "playing" && status(LIVING) === "playing", "both playing");
    };

    await playBoth();
    // Two playing and nobody named is still "which?"; "everything" is both.
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {}}))).toBe("Which Yoto? I know Ben and Mia.");
    expect(said(await mcp.callTool({name: "pause_yoto", arguments: {who: "all"}}))).toBe("Paused 2 Yotos.");
    await waitFor(() => status(MINI) === "paused" && status(LIVING) === "paused", "both paused");
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {who: "everything"}}))).toBe("Stopped 2 Yotos.");
    await waitFor(() => status(MINI) === "stopped" && status(LIVING) === "stopped", "both stopped");
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {who: "every Yoto"}}))).toBe(
      "Nothing is playing on any Yoto.",
    );
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {who: "alle", language: "de"}}))).toBe(
      "Auf keinem Yoto läuft gerade etwas.",
    );

    await playBoth();
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {who: "Mia and Ben"}}))).toBe(
      "Stopped Mia's Yoto and Ben's Yoto.",
    );
    await waitFor(() => status(MINI) === "stopped" && status(LIVING) === "stopped", "both stopped");
    expect(sim.player(MINI).eventsSnapshot().playbackStatus).toBe("stopped");

    // One of the two playing: that one pauses, and the other is said as it is.
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Ben"}}))).toBe(
      "Playing “Songs” on Ben's Yoto.",
    );
    await waitFor(() => status(LIVING) === "playing", "Ben's playing");
    expect(said(await mcp.callTool({name: "pause_yoto", arguments: {who: "Ben, Mia"}}))).toBe(
      "Paused Ben's Yoto. Nothing is playing on Mia's Yoto.",
    );
    await waitFor(() => status(LIVING) === "paused", "Ben's paused");
    // Paused is still something to stop: in German, both named, both stopped.
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Mia"}}))).toBe(
      "Playing “Songs” on Mia's Yoto.",
    );
    await waitFor(() => status(MINI) === "playing", "Mia's playing");
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {who: "Mia und Ben", language: "de"}}))).toBe(
      "Mias Yoto und Bens Yoto sind gestoppt.",
    );
    await waitFor(() => status(MINI) === "stopped" && status(LIVING) === "stopped", "both stopped");

    // A play for two is one question, and nothing plays.
    const both = await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Mia and Ben"}});
    expect([said(both), (both.structuredContent as {outcome: string}).outcome]).toEqual([
      "I play on one Yoto at a time: Mia's Yoto or Ben's Yoto?",
      "which",
    ]);
    expect(status(MINI)).toBe("stopped");
  });

  it("finds a Yoto by the Home Assistant area voice last heard it in, and names the Yotos while it knows none", async () => {
    const {t} = await startLinked();
    const mcp = await assistant(t.app.admin.url);
    expect(said(await mcp.callTool({name: "whats_playing_on_yoto", arguments: {who: "Kids Room"}}))).toBe(
      "I don't know Kids Room. I know Living Room and Bedroom Mini.",
    );
    // A satellite's request brings the house's areas, as the voice blueprint sends them.
    const heard = await call("POST", `${t.app.admin.url}/api/voice`, {
      trigger: "whats_playing",
      slots: {who: "Living Room"},
      rooms: [
        ["Kids Room", ["Bedroom Mini", "Night light"]],
        ["Kitchen", ["Kettle"]],
      ],
    });
    expect(heard.body.speech).toBe("Nothing is playing on Living Room.");
    expect(said(await mcp.callTool({name: "whats_playing_on_yoto", arguments: {who: "Kids Room"}}))).toBe(
      "Nothing is playing on Bedroom Mini.",
    );
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "the kids room"}}))).toBe(
      "Playing “Songs” on Bedroom Mini.",
    );
    await waitFor(() => t.app.players.get(MINI)?.playback.status === "playing", "the Mini playing");
  });

  it("plays a title as the assistant gave it, a child's name in it or not, on the Yoto it named", async () => {
    const {t, sim} = await startLinked({
      prepare: (s) => {
        addTitledCard(s, "miass", "Mia's Song");
        addTitledCard(s, "forbe", "A Song for Ben");
      },
    });
    await family(t.app.admin.url);
    const mcp = await assistant(t.app.admin.url);
    const played = await mcp.callTool({name: "play_on_yoto", arguments: {what: "Mia's Song", who: "Ben"}});
    expect(said(played)).toBe("Playing “Mia's Song” on Ben's Yoto.");
    expect(played.structuredContent).toMatchObject({outcome: "played", title: "Mia's Song", child: "Ben"});
    await waitFor(() => sim.player(LIVING).eventsSnapshot().cardId === "miass", "Mia's Song on Ben's Yoto");
    // A name inside the title is no name: nobody was named, and two Yotos are idle, so which is asked.
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "A Song for Ben"}}))).toBe(
      "Which Yoto? I know Ben and Mia.",
    );
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "A Song for Ben", who: "Mia"}}))).toBe(
      "Playing “A Song for Ben” on Mia's Yoto.",
    );
    await waitFor(() => sim.player(MINI).eventsSnapshot().cardId === "forbe", "A Song for Ben on Mia's Yoto");
  });

  it("lists a child's shelf in German when asked in German", async () => {
    const {t} = await startLinked();
    await family(t.app.admin.url);
    const mcp = await assistant(t.app.admin.url);
    expect(said(await mcp.callTool({name: "yoto_shelf", arguments: {child: "Mia", language: "de"}}))).toBe(
      "Mias Regal ist leer: Eltern können es auf der Seite Familie füllen.",
    );
    expect(
      (await call("PUT", `${t.app.admin.url}/api/children/Mia`, {players: ["Bedroom Mini"], shelf: ["card:songs"]}))
        .status,
    ).toBe(200);
    const de = await mcp.callTool({name: "yoto_shelf", arguments: {child: "Mia", language: "de"}});
    expect(said(de)).toBe("Mias Regal: „Songs“.");
    expect(said(await mcp.callTool({name: "yoto_shelf", arguments: {child: "Mia"}}))).toBe("Mia's shelf: “Songs”.");
    expect(de.structuredContent).toMatchObject({child: "Mia", items: [{title: "Songs", kind: "card"}]});
  });
});
