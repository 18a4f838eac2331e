import {Client, StreamableHTTPClientTransport} from "@modelcontextprotocol/client";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();

/**
 * A client of MCP's 2026-07-28 revision (the official TypeScript SDK's 2.x client), pinned to that
 * revision so it cannot fall back to the 2025 handshake: it asks `server/discover`, then lists and
 * calls with each request naming its revision, and never sends `initialize`.
 */
describe("the MCP server, to the official 2026-07-28 client", () => {
  it("is discovered, lists its tools and plays the songs card without a handshake", async () => {
    const {t, sim} = await startLinked();
    const made = await call("POST", `${t.app.admin.url}/api/assistants`, {name: "Kitchen speaker"});
    expect(made.status).toBe(201);
    const token = (made.body as {token: string}).token;
    const sent: Array<{method: string; header: string | null; status: number}> = [];
    const recording = async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await fetch(input, init);
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as {method?: string}) : {};
      sent.push({
        method: body.method ?? String(init?.method),
        header: new Headers(init?.headers).get("mcp-protocol-version"),
        status: answer.status,
      });
      return answer;
    };
    const client = new Client({name: "test", version: "1"}, {versionNegotiation: {mode: {pin: "2026-07-28"}}});
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.app.admin.url}/mcp`), {
        requestInit: {headers: {Authorization: `Bearer ${token}`}},
        fetch: recording,
      }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    const tools = await client.listTools();
    expect(tools.tools.map((x) => x.name)).toContain("play_on_yoto");
    const played = await client.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Living Room"}});
    expect(played.content).toEqual([{type: "text", text: expect.stringContaining("Songs")}]);
    const living = DEMO_PLAYERS[0]!.deviceId;
    await waitFor(() => sim.player(living).eventsSnapshot().cardId !== undefined, "the card");
    await client.close();
    expect(sent.map((s) => s.method)).toEqual(["server/discover", "tools/list", "tools/call"]);
    expect(sent.every((s) => s.status === 200)).toBe(true);
    expect(sent.slice(1).map((s) => s.header)).toEqual(["2026-07-28", "2026-07-28"]);
  });
});
