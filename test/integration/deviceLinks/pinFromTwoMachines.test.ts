import {spawn, spawnSync} from "node:child_process";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import type {DeviceLinkMade} from "../../../src/shared/api/devices.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {nodeScript} from "../../helpers/compiled.js";
import {rawRequest} from "../../helpers/http.js";
import {ip, netnsSkipReason} from "../../helpers/netns.js";
import {waitFor} from "../../helpers/players.js";

// Two tablets, each a machine of its own on the home network (a network namespace joined to this
// one by a veth pair), and the service here on the first pair's address: nothing a tablet sends
// comes from 127.0.0.1 or from an address it chose. The kitchen tablet's child sends 300 guesses at
// once; the parent then unlocks the bedroom tablet with the PIN.

const SERVICE = "10.69.1.1";
const MACHINES = [
  {ns: `yss-kitchen-${process.pid}`, link: `ykt${process.pid}`, here: SERVICE, there: "10.69.1.2"},
  {ns: `yss-bedroom-${process.pid}`, link: `ybd${process.pid}`, here: "10.69.2.1", there: "10.69.2.2"},
] as const;
const TOKEN = "a-long-enough-api-token-1234";
const PIN = "2580";

const SKIP = netnsSkipReason("the PIN tried from two machines");

function addMachines(): void {
  for (const m of MACHINES) {
    ip("netns", "add", m.ns);
    ip("link", "add", `${m.link}a`, "type", "veth", "peer", "name", `${m.link}b`, "netns", m.ns);
    ip("addr", "add", `${m.here}/24`, "dev", `${m.link}a`);
    ip("link", "set", `${m.link}a`, "up");
    ip("-n", m.ns, "addr", "add", `${m.there}/24`, "dev", `${m.link}b`);
    ip("-n", m.ns, "link", "set", "lo", "up");
    ip("-n", m.ns, "link", "set", `${m.link}b`, "up");
    // The service's address is on the other pair for the bedroom: reached through this machine.
    ip("-n", m.ns, "route", "add", "default", "via", m.here);
  }
}

function removeMachines(): void {
  // Deleting a namespace deletes its end of the veth pair, and so the pair.
  for (const m of MACHINES) spawnSync("ip", ["netns", "delete", m.ns]);
}

interface Burst {
  statuses: Record<string, number>;
  bodies: Record<string, string>;
}

/** `count` unlock requests at once from the machine in `ns`, with `device`'s credential. */
function fromMachine(ns: string, url: string, device: string, pin: string, count: number): Promise<Burst> {
  const args = [url, JSON.stringify({pin}), `Device ${device}`, String(count), "50"];
  const child = spawn(
    "ip",
    ["netns", "exec", ns, process.execPath, ...nodeScript("test/helpers/netnsRequestChild.ts"), ...args],
    {
      cwd: PACKAGE_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Burst) : reject(new Error(`exit ${code}`))));
  });
}

describe.skipIf(SKIP)("the parent PIN tried from two tablets, each a machine of its own", () => {
  let t: TestApp;
  let sim: Awaited<ReturnType<typeof startSimulator>>;

  beforeAll(async () => {
    removeMachines();
    addMachines();
    sim = await startSimulator();
    t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN], {
      host: SERVICE,
      cloud: sim.endpoints,
      adminAccess: {allowLoopback: false, ingressPeers: []},
    });
    await linkAccount(t.app.account);
    await waitFor(() => t.app.players.list().length === sim.players.size, "the players known", 60_000);
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop();
    removeMachines();
  });

  it("refuses the kitchen's burst past its five tries, and lets the parent unlock the bedroom tablet", async () => {
    const parent = (method: string, pathname: string, body: unknown) =>
      rawRequest(`${t.adminUrl}${pathname}`, {
        method,
        headers: {Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json"},
        body: JSON.stringify(body),
      }).then((r) => ({status: r.status, body: JSON.parse(r.body.toString("utf8"))}));
    expect((await parent("PUT", "/api/children/Mia", {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await parent("PUT", "/api/devices/pin", {pin: PIN})).body).toEqual({pin_set: true});
    const kitchen = (await parent("POST", "/api/children/Mia/devices", {name: "Kitchen tablet"}))
      .body as DeviceLinkMade;
    const bedroom = (await parent("POST", "/api/children/Mia/devices", {name: "Bedroom tablet"}))
      .body as DeviceLinkMade;
    const unlock = `${t.adminUrl}/api/children/Mia/unlock`;

    const burst = await fromMachine(MACHINES[0].ns, unlock, kitchen.token, "0000", 300);
    expect(burst.statuses).toEqual({403: 5, 429: 295});
    expect(JSON.parse(burst.bodies[429] as string).error).toMatch(
      /^Too many PIN tries on this tablet \(5 a minute\): try again in \d+ s, or unlock the tablet from a parent's signed-in browser$/,
    );
    // The kitchen's own right PIN waits its minute; the bedroom's, from its own machine, does not.
    expect((await fromMachine(MACHINES[0].ns, unlock, kitchen.token, PIN, 1)).statuses).toEqual({429: 1});
    const parentAtBedroom = await fromMachine(MACHINES[1].ns, unlock, bedroom.token, PIN, 1);
    expect(parentAtBedroom.statuses).toEqual({200: 1});
    expect(JSON.parse(parentAtBedroom.bodies[200] as string)).toEqual({unlocked: true});
  }, 120_000);
});
