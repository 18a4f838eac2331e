import {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {StreamableHTTPClientTransport} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
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
  const made = await call("POST", `${adminUrl}/api/assistants`, {name: "Laptop"});
  const token = (made.body as {token: string}).token;
  client = new Client({name: "test", version: "1"});
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${adminUrl}/mcp`), {
      requestInit: {headers: {Authorization: `Bearer ${token}`}},
    }),
  );
  return client;
}

const said = (result: Awaited<ReturnType<Client["callTool"]>>) => (result.content as Array<{text: string}>)[0]?.text;

describe("an assistant that names no Yoto (it has no room, as a satellite has)", () => {
  it("asks about, pauses and resumes the one Yoto playing, and asks which when two are", async () => {
    const {t, sim} = await startLinked();
    const mcp = await assistant(t.app.admin.url);
    // Nothing on anywhere: that is the answer, not "which Yoto?", for what's playing, pause and stop alike.
    expect(said(await mcp.callTool({name: "whats_playing_on_yoto", arguments: {}}))).toBe(
      "Nothing is playing on any Yoto.",
    );
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {}}))).toBe("Nothing is playing on any Yoto.");
    expect(said(await mcp.callTool({name: "whats_playing_on_yoto", arguments: {language: "de"}}))).toBe(
      "Auf keinem Yoto läuft gerade etwas.",
    );
    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Living Room"}}))).toBe(
      "Playing “Songs” on Living Room.",
    );
    await waitFor(() => t.app.players.get(LIVING)?.playback.status === "playing", "the living room playing");
    expect(said(await mcp.callTool({name: "whats_playing_on_yoto", arguments: {}}))).toMatch(
      /^Living Room is playing “Songs”/,
    );
    expect(said(await mcp.callTool({name: "pause_yoto", arguments: {}}))).toBe("Paused Living Room.");
    await waitFor(() => sim.player(LIVING).eventsSnapshot().playbackStatus === "paused", "the living room paused");
    // Paused is still what plays there: resume finds it.
    expect(said(await mcp.callTool({name: "resume_yoto", arguments: {}}))).toMatch(/Living Room/);
    await waitFor(() => t.app.players.get(LIVING)?.playback.status === "playing", "the living room playing again");

    expect(said(await mcp.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Bedroom Mini"}}))).toBe(
      "Playing “Songs” on Bedroom Mini.",
    );
    await waitFor(() => t.app.players.get(MINI)?.playback.status === "playing", "the mini playing");
    expect(said(await mcp.callTool({name: "stop_yoto", arguments: {}}))).toBe(
      "Which Yoto? I know Living Room and Bedroom Mini.",
    );
  });

  it("names the children there are when a shelf is asked for someone else, and logs no warning for it", async () => {
    const {t} = await startLinked();
    const mcp = await assistant(t.app.admin.url);
    const none = await mcp.callTool({name: "yoto_shelf", arguments: {child: "Mia"}});
    expect([none.isError, said(none)]).toEqual([
      true,
      "The family plan has no children yet: a parent adds them on the panel's Family page",
    ]);
    expect((await call("PUT", `${t.app.admin.url}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await call("PUT", `${t.app.admin.url}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
    const other = await mcp.callTool({name: "yoto_shelf", arguments: {child: "Zoe"}});
    expect([other.isError, said(other)]).toEqual([
      true,
      "There is no child 'Zoe' in the family plan: the children are Ben, Mia",
    ]);
    const mia = await mcp.callTool({name: "yoto_shelf", arguments: {child: "mia"}});
    expect(mia.isError).toBeFalsy();
    expect(mia.structuredContent).toMatchObject({child: "Mia", playable: true});
    expect(t.logs.filter((l) => /WARNING|ERROR/.test(l) && l.includes("yoto_shelf"))).toEqual([]);
  });
});
