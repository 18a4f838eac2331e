import {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {StreamableHTTPClientTransport} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();

describe("the MCP server", () => {
  it("plays the songs card on the living room Yoto for an assistant with a token", async () => {
    const {t, sim} = await startLinked();
    const made = await call("POST", `${t.app.admin.url}/api/assistants`, {name: "Kitchen speaker"});
    expect(made.status).toBe(201);
    const token = (made.body as {token: string}).token;
    const client = new Client({name: "test", version: "1"});
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.app.admin.url}/mcp`), {
        requestInit: {headers: {Authorization: `Bearer ${token}`}},
      }),
    );
    const tools = await client.listTools();
    expect(tools.tools.map((x) => x.name)).toContain("play_on_yoto");
    const played = await client.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Living Room"}});
    expect(played.content).toEqual([{type: "text", text: expect.stringContaining("Songs")}]);
    const living = DEMO_PLAYERS[0]!.deviceId;
    await waitFor(() => sim.player(living).eventsSnapshot().cardId !== undefined, "the card");
    await client.close();
  });
});
