import {EventBus} from "../../src/core/events.js";
import {Logger} from "../../src/core/logger.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {Store} from "../../src/store/store.js";
import {YotoAccount} from "../../src/yoto/account.js";
import {OAuthClient} from "../../src/yoto/oauthClient.js";
import {type PlayersOptions, YotoPlayers} from "../../src/yoto/players.js";
import {YotoRest} from "../../src/yoto/rest.js";
import {CLIENT_ID, linkAccount} from "./cloud.js";
import {tempDir} from "./tmp.js";

export interface CloudStack {
  account: YotoAccount;
  rest: YotoRest;
  players: YotoPlayers;
  bus: EventBus;
  lines: string[];
  stop(): Promise<void>;
}

/** The service's cloud side, linked to the simulator by pasting back the redirect, as a user would. */
export async function linkedCloud(
  sim: YotoSimulator,
  opts: Partial<Pick<PlayersOptions, "commandTimeoutMs" | "deviceRefreshMs" | "mqtt">> & {dataDir?: string} = {},
): Promise<CloudStack> {
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const store = new Store(opts.dataDir ?? (await tempDir()), log.child("store"));
  await store.start();
  const bus = new EventBus(log);
  const oauth = new OAuthClient(sim.endpoints.authUrl, CLIENT_ID);
  const account = new YotoAccount({oauth, store, log, onStatus: (s) => bus.emit("account.changed", s)});
  await account.start();
  if (account.status().state !== "linked") {
    await linkAccount(account);
  }
  const rest = new YotoRest({apiUrl: sim.endpoints.apiUrl, tokens: account, log, retryBaseMs: 20});
  const players = new YotoPlayers({
    account,
    rest,
    mqttUrl: sim.endpoints.mqttUrl,
    bus,
    log,
    commandTimeoutMs: opts.commandTimeoutMs ?? 3000,
    deviceRefreshMs: opts.deviceRefreshMs,
    mqtt: {backoff: {initialMs: 100, maxMs: 1000}, primeTimeoutMs: 500, ...opts.mqtt},
  });
  await players.start();
  return {
    account,
    rest,
    players,
    bus,
    lines,
    async stop() {
      await players.stop();
      await account.stop();
      await store.stop();
    },
  };
}

/** Poll until `check` holds; the error says what was awaited. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
