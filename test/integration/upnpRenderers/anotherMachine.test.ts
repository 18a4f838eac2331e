import {type ChildProcess, spawn, spawnSync} from "node:child_process";
import {mkdir} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {CLIENT_ID} from "../../helpers/cloud.js";
import {nodeScript} from "../../helpers/compiled.js";
import {ip, netnsSkipReason} from "../../helpers/netns.js";
import {tempDir} from "../../helpers/tmp.js";

// Home Assistant's `dlna_dmr` takes the MAC address of whatever sent it a renderer's SSDP packet
// (getmac on that address), stores it with each renderer it adds, refuses a newly discovered
// renderer whose MAC an added one has ("already configured"), and gives each renderer's device
// that MAC as a connection, which merges devices that share it. Every renderer of this service
// comes from one address, so that is one MAC for all. These tests put the service on a machine of
// its own (a network namespace joined to another by a veth pair, each end with a MAC of its own),
// and search for the renderers from the other one as Home Assistant's SSDP does
// (ssdpProbeChild.ts), and then from the service's own machine, as the add-on's Home Assistant does.

const HA_ADDRESS = "10.68.0.1";
const SERVICE_ADDRESS = "10.68.0.2";
const SERVICE_MAC = "02:68:00:00:00:02";
const HA_NS = `yss-ha-${process.pid}`;
const SERVICE_NS = `yss-svc-${process.pid}`;

const SKIP = netnsSkipReason("the tests of the renderers seen from another machine");

/** Two machines on one link: the namespaces, and a veth pair made straight inside them. */
function twoMachines(): void {
  ip("netns", "add", HA_NS);
  ip("netns", "add", SERVICE_NS);
  const [haLink, serviceLink] = [`yha${process.pid}`, `ysv${process.pid}`];
  ip("link", "add", haLink, "netns", HA_NS, "type", "veth", "peer", "name", serviceLink, "netns", SERVICE_NS);
  for (const [ns, link, address, mac] of [
    [HA_NS, haLink, HA_ADDRESS, "02:68:00:00:00:01"],
    [SERVICE_NS, serviceLink, SERVICE_ADDRESS, SERVICE_MAC],
  ] as const) {
    ip("-n", ns, "link", "set", link, "address", mac);
    ip("-n", ns, "addr", "add", `${address}/24`, "dev", link);
    ip("-n", ns, "link", "set", "lo", "up");
    ip("-n", ns, "link", "set", link, "up");
  }
}

function removeMachines(): void {
  // Deleting a namespace deletes its end of the veth pair, and so the pair.
  for (const ns of [HA_NS, SERVICE_NS]) spawnSync("ip", ["netns", "delete", ns]);
}

function inNamespace(ns: string, script: string, args: string[]): ChildProcess {
  return spawn("ip", ["netns", "exec", ns, process.execPath, ...nodeScript(script), ...args], {
    cwd: PACKAGE_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** The first whole line the child writes that starts with `prefix`, less the prefix. */
function lineFrom(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const line = out
        .split("\n")
        .slice(0, -1)
        .find((l) => l.startsWith(prefix));
      if (line !== undefined) resolve(line.slice(prefix.length));
    });
    child.on("exit", (code) => reject(new Error(`${child.spawnargs[7]} exited (${code}) before writing its answer`)));
  });
}

interface Probe {
  renderers: Array<{
    host: string;
    location: string;
    usn: string;
    udn: string | null;
    friendlyName: string | null;
    serialNumber: string | null;
    macLike: boolean;
  }>;
  neighbours: Record<string, string | null>;
}

/** Home Assistant's search and MAC lookup, from `from` in namespace `ns` (ssdpProbeChild.ts). */
async function probe(ns: string, from: string): Promise<Probe> {
  const child = inNamespace(ns, "test/helpers/ssdpProbeChild.ts", [from, "2", "15000"]);
  return JSON.parse(await lineFrom(child, "")) as Probe;
}

describe.skipIf(SKIP)("Several Yotos, and Home Assistant on another machine", () => {
  let service: ChildProcess | undefined;
  let players: string[] = [];

  beforeAll(async () => {
    twoMachines();
    const dir = await tempDir("yss-another-machine-");
    for (const sub of ["data", "media", "rules"]) await mkdir(path.join(dir, sub));
    service = inNamespace(SERVICE_NS, "test/helpers/netnsServiceChild.ts", [
      path.join(dir, "data"),
      path.join(dir, "media"),
      CLIENT_ID,
    ]);
    ({players} = JSON.parse(await lineFrom(service, "ready ")) as {players: string[]});
  }, 60_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service?.once("exit", resolve));
      service.kill("SIGTERM");
      const late = setTimeout(() => service?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(late);
    }
    removeMachines();
  }, 20_000);

  it("from another machine, each Yoto answers with a UDN and description of its own, on the service's address, whose MAC they all share", async () => {
    const seen = await probe(HA_NS, HA_ADDRESS);
    expect(seen.renderers).toHaveLength(2);
    expect(new Set(seen.renderers.map((r) => r.udn)).size).toBe(2);
    expect(new Set(seen.renderers.map((r) => r.location)).size).toBe(2);
    for (const r of seen.renderers) {
      // The USN is the description's UDN: what dlna_dmr keys each renderer on (its unique_id).
      expect(r.usn).toBe(`${r.udn}::urn:schemas-upnp-org:device:MediaRenderer:1`);
      // Answered from, and described at, the address Home Assistant reaches: never loopback.
      expect(r.host).toBe(SERVICE_ADDRESS);
      expect(new URL(r.location).hostname).toBe(SERVICE_ADDRESS);
      expect(r.macLike).toBe(false);
    }
    expect(seen.renderers.map((r) => r.serialNumber).sort()).toEqual([...players].sort());
    // What dlna_dmr stores for every one of them: the one MAC of the service's machine.
    expect(seen.neighbours).toEqual({[SERVICE_ADDRESS]: SERVICE_MAC});
  }, 30_000);

  it("on the service's own machine, the answers carry its address on the network, for which there is no MAC to find", async () => {
    const seen = await probe(SERVICE_NS, SERVICE_ADDRESS);
    expect(seen.renderers).toHaveLength(2);
    expect(new Set(seen.renderers.map((r) => r.udn)).size).toBe(2);
    for (const r of seen.renderers) {
      // Not 127.0.0.1: getmac answers 00:00:00:00:00:00 for that, one MAC for every renderer again.
      expect(r.host).toBe(SERVICE_ADDRESS);
      expect(new URL(r.location).hostname).toBe(SERVICE_ADDRESS);
    }
    // A machine's own address is in no neighbour table: dlna_dmr stores no MAC, and merges nothing.
    expect(seen.neighbours).toEqual({[SERVICE_ADDRESS]: null});
  }, 30_000);
});
