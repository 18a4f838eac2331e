import {readFile} from "node:fs/promises";
import {afterEach, describe, expect, it} from "vitest";
import {parse} from "yaml";
import {ACCESS_TTL_S} from "../../../src/assistants/assistantTokens.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp} from "../../helpers/app.js";
import {DCR_CLIENT_NAME} from "../../helpers/haMcpClient.js";
import {
  browse,
  browserReturns,
  exchange,
  HA_REDIRECT,
  haFlowToAuthorizePage,
  haSignedIn,
  nextSecond,
  parentAnswers,
} from "../../helpers/haMcpFlow.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {fakeSupervisor} from "../../helpers/supervisor.js";

/**
 * Home Assistant's MCP integration (core `homeassistant/components/mcp`) against the add-on, as its
 * code behaves: the Supervisor's discovery, the OAuth config flow, and the coordinator's tool calls.
 * Each HA step is the port in test/helpers/haMcpClient.ts; test/helpers/haMcpFlow.ts strings them.
 */
const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const WAITING =
  "<h1>Waiting for a parent</h1><p>An assistant asks to use the family's Yotos. A parent approves it on the Yoto panel's Assistants page (in Home Assistant: the Yoto panel in the sidebar). This page goes on by itself once they have.</p>";

describe("Home Assistant's MCP integration", () => {
  it("is offered through the Supervisor's discovery: service mcp, the panel's port and /mcp, once across restarts", async () => {
    // config.yaml lets the add-on offer the service (the Supervisor refuses a service not listed),
    // and read the host's addresses (/network/info needs hassio_api).
    const addon = parse(await readFile(new URL("../../../config.yaml", import.meta.url), "utf8"));
    expect(addon.discovery).toEqual(["mcp"]);
    expect(addon.hassio_api).toBe(true);
    const supervisor = await fakeSupervisor({status: 400, body: {result: "error", message: "Service not enabled"}});
    closers.push(() => supervisor.close());
    const start = () => startApp([], {homeAssistant: true, supervisor: {url: supervisor.url, token: "sup-token"}});
    const t = await start();
    closers.push(() => t.stop());
    await waitFor(() => supervisor.discoveries.length === 1, "the offer");
    // The host's address as the Supervisor's /network/info gives it (the fake's: 192.168.1.5/24).
    const host = "192.168.1.5";
    const {port} = new URL(t.app.admin.url);
    expect(supervisor.discoveries[0]?.body).toEqual({service: "mcp", config: {url: `http://${host}:${port}/mcp`}});
    // config_flow.py async_step_hassio (@00b0010) reads only `url` (cv.url: http or https with a host).
    const config = supervisor.discoveries[0]?.body.config as {url?: unknown} | undefined;
    const offered = new URL(String(config?.url));
    expect([offered.protocol, offered.pathname, offered.port]).toEqual(["http:", "/mcp", port]);
    expect(
      t.logs.some((l) => l.includes(`The MCP server http://${host}:${port}/mcp is offered to Home Assistant`)),
    ).toBe(true);
    // Stopped, the offer stays: Home Assistant's proposal does not vanish with each restart...
    await t.stop();
    expect(supervisor.discoveries[0]?.withdrawn).toBe(false);
    expect(supervisor.calls.filter((c) => c.startsWith("DELETE"))).toEqual([]);
    // ...and the next start's offer is the same discovery (its address updated), not a second server.
    const again = await start();
    closers.push(() => again.stop());
    const moved = new URL(again.app.admin.url).port;
    await waitFor(
      () => supervisor.calls.filter((c) => c.startsWith("POST /discovery")).length === 2,
      "the second offer",
    );
    expect(supervisor.discoveries).toHaveLength(1);
    expect(supervisor.discoveries[0]?.body).toEqual({service: "mcp", config: {url: `http://${host}:${moved}/mcp`}});
    expect(supervisor.discoveries[0]?.sent).toBe(moved === port ? 1 : 2);
  });

  it("signs in through OAuth as its config flow walks it, with a parent's approval, and refreshes", async () => {
    const {t} = await startLinked();
    const admin = t.app.admin.url;
    const flow = await haFlowToAuthorizePage(admin);
    // validate_input without a token: the initialize POST is a 401 naming the resource metadata.
    expect(flow.ha.requests[0]).toMatchObject({method: "POST", url: `${admin}/mcp`, status: 401});
    expect(flow.header).toEqual({
      resourceMetadataUrl: `${admin}/.well-known/oauth-protected-resource/mcp`,
      scopes: null,
    });
    expect(flow.resourceMetadata).toEqual({authorizationServers: [admin], supportedScopes: ["yoto"]});
    expect(flow.oauth).toEqual({
      authorizeUrl: `${admin}/oauth/authorize`,
      tokenUrl: `${admin}/oauth/token`,
      scopes: ["yoto"],
      registrationEndpoint: `${admin}/oauth/register`,
      tokenEndpointAuthMethods: ["none"],
    });
    expect(flow.scopes).toEqual(["yoto"]);
    // registration.py's body, answered 201 with what _parse_registration_response takes: a public client.
    const registration = flow.ha.requests.find((r) => r.url === `${admin}/oauth/register`);
    expect(registration?.status).toBe(201);
    expect(JSON.parse(registration?.body ?? "")).toEqual({
      redirect_uris: [HA_REDIRECT],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      client_name: DCR_CLIENT_NAME,
      scope: "yoto",
      application_type: "web",
    });
    expect(flow.client).toEqual({clientId: expect.any(String), clientSecret: "", method: "none"});

    // The browser lands on the page that waits, and keeps waiting on reload until a parent answers.
    expect(flow.page.status).toBe(200);
    expect(flow.page.url).toMatch(new RegExp(`^${admin}/oauth/authorize\\?request=[\\w-]+$`));
    expect(flow.page.text).toContain(WAITING);
    expect(flow.page.text).toContain('<meta http-equiv="refresh" content="2">');
    expect((await browse(flow.page.url, flow.browser)).text).toContain(WAITING);
    // The panel shows the machine the browser asked from and the pairing code the page shows.
    const [request] = (await call("GET", `${admin}/api/assistants`)).body.requests as Array<Record<string, string>>;
    expect(request).toMatchObject({
      client: "Home Assistant",
      from: "127.0.0.1",
      pairing: expect.stringMatching(/^\w{4}$/),
    });
    expect(flow.page.text).toContain(
      `<p>Check that the panel shows <strong class="pairing">${request?.pairing}</strong> for this request before a parent approves it: another request may carry the same name.</p>`,
    );
    await parentAnswers(admin, "approve");
    const back = await browserReturns(flow);
    expect(`${back.origin}${back.pathname}`).toBe(HA_REDIRECT);
    expect(back.searchParams.get("state")).toBe(flow.authorize.state);
    const code = back.searchParams.get("code") as string;
    expect(code).toMatch(/^[\w-]{43}$/);

    const token = await exchange(flow, code);
    const issuedS = Date.now() / 1000;
    const traded = flow.ha.requests.at(-1);
    expect(traded?.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(traded?.body))).toEqual({
      grant_type: "authorization_code",
      code,
      redirect_uri: HA_REDIRECT,
      code_verifier: flow.authorize.codeVerifier,
      client_id: flow.client.clientId,
    });
    expect(token).toMatchObject({
      token_type: "Bearer",
      expires_in: ACCESS_TTL_S,
      scope: "yoto",
      access_token: expect.stringMatching(/^yss_at_/),
      refresh_token: expect.stringMatching(/^yss_rt_/),
    });
    // async_step_creation → validate_input with the token: the entry is named after the server.
    expect(await flow.ha.validateInput(flow.mcpUrl, token.access_token)).toEqual({title: "Yoto Smart Stream"});

    // Access tokens name the second they end at: a refresh a second later is a new one.
    await nextSecond(issuedS);
    const refreshed = await flow.ha.refresh({tokenUrl: flow.oauth.tokenUrl, client: flow.client, token});
    expect(refreshed.access_token).toMatch(/^yss_at_/);
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed.refresh_token).toBe(token.refresh_token);
    expect(refreshed.expires_in).toBe(ACCESS_TTL_S);
    expect(await flow.ha.validateInput(flow.mcpUrl, refreshed.access_token)).toEqual({title: "Yoto Smart Stream"});
  });

  it("lists tools every one of which HA converts, and plays, pauses and answers on the demo as the coordinator calls them", async () => {
    const {t, sim} = await startLinked();
    const admin = t.app.admin.url;
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    expect((await call("PUT", `${admin}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);
    const {flow, token} = await haSignedIn(admin);
    // coordinator._async_update_data: one schema HA cannot convert would leave it no tool at all.
    const tools = await flow.ha.listTools(flow.mcpUrl, token.access_token);
    expect(tools.map((tool) => tool.name)).toEqual([
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
    const said = async (name: string, args: Record<string, unknown>) => {
      const tool = tools.find((x) => x.name === name);
      if (!tool) throw new Error(`no tool ${name}`);
      const {result} = await flow.ha.callTool(flow.mcpUrl, tool, args, token.access_token);
      expect(result.isError).not.toBe(true);
      return result;
    };

    expect(await said("play_on_yoto", {what: "songs", who: "Ben"})).toEqual({
      content: [{type: "text", text: "Playing “Songs” on Ben's Yoto."}],
      structuredContent: {
        speech: "Playing “Songs” on Ben's Yoto.",
        outcome: "played",
        player: "Living Room",
        child: "Ben",
        title: "Songs",
      },
    });
    await waitFor(() => sim.player(LIVING).eventsSnapshot().cardId === "songs", "the songs card on the Living Room");
    await waitFor(() => sim.player(LIVING).eventsSnapshot().playbackStatus === "playing", "the Living Room playing");
    await waitFor(() => t.app.players.get(LIVING).playback.chapterTitle === "One", "the bridge hearing chapter One");
    const playing = await said("whats_playing_on_yoto", {who: "Ben"});
    expect(playing.content).toEqual([{type: "text", text: "Ben's Yoto is playing “Songs”: “One”."}]);

    expect((await said("pause_yoto", {who: "Ben"})).content).toEqual([{type: "text", text: "Paused Ben's Yoto."}]);
    await waitFor(() => sim.player(LIVING).eventsSnapshot().playbackStatus === "paused", "the Living Room paused");

    expect((await said("one_more_story", {who: "Ben"})).structuredContent).toMatchObject({
      speech: "Ben can listen now: just ask me to play a story.",
    });

    // The Assistants page lists Home Assistant as an OAuth assistant, by the name it registered.
    const listed = await call("GET", `${admin}/api/assistants`);
    expect(listed.body.assistants).toEqual([
      {
        id: expect.any(String),
        name: "Home Assistant",
        kind: "oauth",
        created_at: expect.any(String),
        last_used_at: expect.any(String),
        // Approved without saying less: everything, as before grants existed.
        read_only: false,
        children: [],
      },
    ]);
  }, 30_000);
});
