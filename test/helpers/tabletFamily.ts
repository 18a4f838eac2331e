import type http from "node:http";
import path from "node:path";
import {afterEach} from "vitest";
import type {AppOptions} from "../../src/app/app.js";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {startApp, type TestApp} from "./app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "./cloud.js";
import {rawRequest} from "./http.js";
import {waitFor} from "./players.js";
import {tempDir} from "./tmp.js";

export const PARENT_TOKEN = "a-long-enough-api-token-1234";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface TabletFamily {
  t: TestApp;
  sim: YotoSimulator;
  dataDir: string;
  /** A request as a parent (the API token), or as a tablet (`Device <credential>`), from `from`. */
  send(
    method: string,
    pathname: string,
    opts?: {body?: unknown; device?: string; from?: string; agent?: http.Agent},
  ): Promise<Answer>;
  /** A child on one of the simulated Yoto players. */
  addChild(name: string, player?: string): Promise<void>;
  /** A new device link for `child`'s tablet: its credential. */
  link(child: string, name?: string): Promise<DeviceLinkMade>;
  /** The same service on the same data folder, started again (the cloud simulator keeps running). */
  restart(): Promise<void>;
}

/**
 * The whole service on a simulated, linked Yoto account, with the parent's API token and loopback
 * trusted for nothing, so each request is a tablet's or a parent's by its credential alone. Loopback
 * has many addresses (127.0.0.2, 127.0.0.3, …): a request `from` one of them is a tablet on another
 * address. Stopped after each test.
 */
export function tabletFamily(): (opts?: {dataDir?: string; app?: Partial<AppOptions>}) => Promise<TabletFamily> {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return async (opts = {}) => {
    const sim = await startSimulator();
    stops.push(() => sim.stop());
    const root = await tempDir("yss-tablets-");
    const dataDir = opts.dataDir ?? path.join(root, "data");
    const start = async () => {
      const t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", PARENT_TOKEN], {
        dataDir,
        mediaDir: path.join(root, "media"),
        cloud: sim.endpoints,
        adminAccess: {allowLoopback: false, ingressPeers: []},
        ...opts.app,
      });
      stops.push(() => t.stop());
      return t;
    };
    const family: TabletFamily = {
      t: await start(),
      sim,
      dataDir,
      async send(method, pathname, o = {}) {
        const headers: Record<string, string> = {
          Authorization: o.device ? `Device ${o.device}` : `Bearer ${PARENT_TOKEN}`,
        };
        if (o.body !== undefined) headers["Content-Type"] = "application/json";
        const res = await rawRequest(`${family.t.adminUrl}${pathname}`, {
          method,
          headers,
          ...(o.from ? {localAddress: o.from} : {}),
          ...(o.agent ? {agent: o.agent} : {}),
          ...(o.body !== undefined ? {body: JSON.stringify(o.body)} : {}),
        });
        const text = res.body.toString("utf8");
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text);
        } catch {
          body = {text};
        }
        return {status: res.status, headers: res.headers, body};
      },
      async addChild(name, player = "Bedroom Mini") {
        const res = await family.send("PUT", `/api/children/${encodeURIComponent(name)}`, {body: {players: [player]}});
        if (res.status !== 200) throw new Error(`adding ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      },
      async link(child, name = "Kitchen tablet") {
        const res = await family.send("POST", `/api/children/${encodeURIComponent(child)}/devices`, {body: {name}});
        if (res.status !== 201) throw new Error(`a link for ${child}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body as unknown as DeviceLinkMade;
      },
      async restart() {
        await family.t.stop();
        family.t = await start();
      },
    };
    await linkAccount(family.t.app.account);
    await waitFor(() => family.t.app.players.list().length === sim.players.size, "the players known", 60_000);
    return family;
  };
}
