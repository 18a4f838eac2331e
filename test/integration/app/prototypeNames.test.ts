import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {registerBuiltins} from "../../../src/rules/plugins/index.js";
import {PluginRegistry} from "../../../src/rules/registry.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {startEngine} from "../../helpers/rules.js";

// Names every plain object inherits: a lookup that walks the prototype chain finds them.
const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "isPrototypeOf", "valueOf"];
const COMMANDS =
  "play_card, play_group, play, pause, resume, stop, next, previous, reboot, seek, volume, sleep, ambient, show_icon, sleep_end_of_track, settings";
const SET_KEYS =
  "state, volume, volume_percent, sleep_timer, card, ambient, seek, night_light, day_colour, night_colour, day_max_volume, night_max_volume, day_brightness, night_brightness, day_time, night_time, bluetooth, headphones_volume_limited, sleep_at_track_end, card_group, card_option, alarm_<n>, announce";
const LIVING = DEMO_PLAYERS[0]!.deviceId;

let sim: YotoSimulator;
let t: TestApp;
let watcher: Awaited<ReturnType<typeof watchBroker>>;

// The whole service on the simulator, linked, with an MQTT client on its embedded broker.
beforeAll(async () => {
  sim = await startSimulator();
  addSongsCard(sim);
  t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints, republishDelayMs: () => 0});
  const {url, username, password} = t.app.broker.connection();
  watcher = await watchBroker(url, ["yoto/#"], {username, password});
  await linkAccount(t.app.account);
  await waitFor(() => watcher.lastJson(`yoto/${LIVING}`)?.volume === 8, "the Living Room's state");
});

afterAll(async () => {
  await watcher?.close();
  await t?.stop();
  await sim?.stop();
});

/** Publish, then the next answer on `bridge/response/<path>`. */
async function ask(topic: string, payload: string, path: string) {
  const answers = () => watcher.seen.filter((m) => m.topic === `yoto/bridge/response/${path}`).length;
  const before = answers();
  await watcher.client.publishAsync(topic, payload);
  await waitFor(() => answers() > before, `an answer to ${topic}`);
  return watcher.lastJson(`yoto/bridge/response/${path}`);
}

describe("names Object.prototype already has, from outside", () => {
  it("are refused by the player command route with what would work, and nothing reaches the player", async () => {
    const sent = t.app.players.stats.commands;
    const post = async (body: string) => {
      const res = await fetch(`${t.adminUrl}/api/players/${LIVING}/commands`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body,
      });
      return {status: res.status, body: await jsonOf(res)};
    };
    for (const name of NAMES) {
      expect(await post(JSON.stringify({command: name})), name).toEqual({
        status: 400,
        body: {error: `Unknown command "${name}": use one of ${COMMANDS}`, code: "invalid_command"},
      });
      expect(await post(`{"command": "sleep", "seconds": 60, "${name}": {"seconds": -5}}`), name).toEqual({
        status: 400,
        body: {error: `'sleep' takes no '${name}' (it takes seconds)`, code: "invalid_command"},
      });
      const player = await fetch(`${t.adminUrl}/api/players/${name}`);
      expect(player.status, name).toBe(404);
    }
    expect(t.app.players.stats.commands).toBe(sent);
    expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
  });

  it("are not settable over MQTT: each gets an error answer and the player is untouched", async () => {
    const sent = t.app.players.stats.commands;
    const living = sim.player(LIVING);
    const smuggled = [
      {command: "sleep", seconds: -5},
      {command: "show_icon", uri: "file:///etc/passwd"},
      {command: "volume", percent: 100000},
    ];
    for (const name of NAMES) {
      const refused = {
        status: "error",
        data: {player: LIVING},
        error: `Cannot set '${name}': settable keys are ${SET_KEYS}`,
      };
      for (const value of smuggled) {
        const payload = JSON.stringify({[name]: value, transaction: `${name}-${value.command}`});
        expect(await ask(`yoto/${LIVING}/set`, payload, "player/set"), name).toEqual({
          ...refused,
          transaction: `${name}-${value.command}`,
        });
      }
      expect(await ask(`yoto/${LIVING}/set/${name}`, "-5", "player/set"), name).toEqual(refused);
    }
    expect(await ask(`yoto/${LIVING}/set`, JSON.stringify({card: {command: "reboot"}}), "player/set")).toEqual({
      status: "error",
      data: {player: LIVING},
      error: `'card' must be a card id, or {"cardId": …} with optional chapter, track and secondsIn (got {"command":"reboot"})`,
    });
    expect(t.app.players.stats.commands).toBe(sent);
    expect({volume: living.volume, sleep: living.sleepTimer, shown: living.displayed}).toEqual({
      volume: 8,
      sleep: undefined,
      shown: [],
    });
    // Still listening: a proper set goes through afterwards.
    await watcher.client.publishAsync(`yoto/${LIVING}/set/volume`, "5");
    await waitFor(() => living.volume === 5, "volume 5 on the player");
  });

  it("are unknown bridge requests, answered as errors", async () => {
    const known =
      "health_check, restart, player/command, player/announce, player/announce_cancel, stream/preset, rules/reload, rules/enable, stream/refresh, player/quiet/end, family/bonus, family/allow, family/not_tonight, family/listener, voice, family/sleep, shelf/play, shelf/story_radio";
    for (const name of NAMES) {
      expect(await ask(`yoto/bridge/request/${name}`, `{"transaction": 1}`, name), name).toEqual({
        status: "error",
        data: {},
        error: `Unknown request '${name}': use one of ${known}`,
        transaction: 1,
      });
      const command = JSON.stringify({player: LIVING, command: name});
      expect((await ask("yoto/bridge/request/player/command", command, "player/command")).error, name).toBe(
        `Unknown command "${name}": use one of ${COMMANDS}`,
      );
      const rule = JSON.stringify({rule: name, enabled: true});
      const ids = t.app.rules.list().map((r) => r.id);
      expect((await ask("yoto/bridge/request/rules/enable", rule, "rules/enable")).error, name).toBe(
        `No rule '${name}'${ids.length ? `: rules are ${ids.join(", ")}` : ""}`,
      );
    }
  });
});

describe("names Object.prototype already has, in rule files", () => {
  it("are unknown triggers, conditions, actions and filters, each reported at file:line:col", async () => {
    const startup = "  triggers:\n    - trigger: startup\n";
    const log = "  actions:\n    - action: log\n      message: hi\n";
    const file = (rule: (name: string) => string) =>
      NAMES.map((name, i) => `- id: rule_${i}\n${rule(JSON.stringify(name))}`).join("");
    const stack = await startEngine({
      "1-triggers.yaml": file((name) => `  triggers:\n    - trigger: ${name}\n${log}`),
      "2-conditions.yaml": file((name) => `${startup}  conditions:\n    - condition: ${name}\n${log}`),
      "3-actions.yaml": file((name) => `${startup}  actions:\n    - action: ${name}\n`),
      "4-filters.yaml": file(
        (name) => `${startup}  actions:\n    - action: log\n      message: "{{ 1 | ${name.slice(1, -1)} }}"\n`,
      ),
    });
    try {
      const registry = new PluginRegistry();
      registerBuiltins(registry);
      const known = (kind: "trigger" | "condition" | "action") =>
        `known ${kind}s are ${registry.types(kind).join(", ")}`;
      const filters = "use one of default, int, float, round, lower, upper, string, length, abs, first, last, tojson";
      const at = (file: string, first: number, step: number, i: number, col: number) =>
        `${file}:${first + i * step}:${col} [${i}]`;
      expect(stack.engine.errors().map((e) => e.text)).toEqual([
        ...NAMES.map(
          (name, i) =>
            `${at("1-triggers.yaml", 3, 6, i, 16)}.triggers[0].trigger unknown trigger '${name}': ${known("trigger")}`,
        ),
        ...NAMES.map(
          (name, i) =>
            `${at("2-conditions.yaml", 5, 8, i, 18)}.conditions[0].condition unknown condition '${name}': ${known("condition")}`,
        ),
        ...NAMES.map(
          (name, i) =>
            `${at("3-actions.yaml", 5, 5, i, 15)}.actions[0].action unknown action '${name}': ${known("action")}`,
        ),
        ...NAMES.map(
          (name, i) =>
            `${at("4-filters.yaml", 6, 6, i, 16)}.actions[0].message bad expression "{{ 1 | ${name} }}": unknown filter '${name}': ${filters}`,
        ),
      ]);
      expect(stack.engine.list()).toEqual([]);
    } finally {
      await stack.stop();
    }
  });
});

describe("names Object.prototype already has, as rule variables", () => {
  it("are variables and player names like any other", async () => {
    // A family can call a player anything.
    const oddlyNamed = newPlayer({
      deviceId: "y7s9",
      name: "__proto__",
      deviceFamily: "v3",
      deviceType: "v3",
      online: true,
    });
    const stack = await startEngine(
      {
        "vars.yaml": `- id: own_variables
  variables:
    __proto__: kept
    constructor: also
  triggers:
    - trigger: startup
  actions:
    - action: log
      message: "[{{ __proto__ }}] [{{ constructor }}] [{{ toString }}] [{{ players.__proto__.id }}]"
`,
      },
      {services: {players: {list: () => [oddlyNamed], get: () => oddlyNamed, command: async () => null}}},
    );
    try {
      expect(stack.engine.errors()).toEqual([]);
      // Inherited names stay out of reach: `toString` is not a variable here.
      await vi.waitFor(() =>
        expect(stack.lines.filter((l) => l.includes("[own_variables]"))).toEqual([
          expect.stringMatching(/ INFO: \[own_variables\] \[kept\] \[also\] \[\] \[y7s9\]$/),
        ]),
      );
    } finally {
      await stack.stop();
    }
  });
});
