/**
 * The address the MCP server is offered to Home Assistant at (docs/assistants.md): the host's on
 * the home network as the Supervisor says it, one a parent's browser can open: never the loopback
 * nor Home Assistant's internal bridge (172.30.32.0/23), which an add-on on the host's network
 * sees among the host's interfaces.
 */
import {afterEach, describe, expect, it} from "vitest";
import {SupervisorOffer} from "../../../src/assistants/supervisorOffer.js";
import {homeNetworkAddress, isHassioInternal, isLoopback} from "../../../src/core/address.js";
import {Logger} from "../../../src/core/logger.js";
import {fakeSupervisor, type NetworkInfo} from "../../helpers/supervisor.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function offeredWith(network: NetworkInfo): Promise<string | undefined> {
  const supervisor = await fakeSupervisor({status: 404, body: {}}, "sup-token", network);
  closers.push(() => supervisor.close());
  return new SupervisorOffer({url: supervisor.url, token: "sup-token"}, new Logger({level: "error"})).hostAddress();
}

const nic = (addresses: string[], primary = false) => ({primary, ipv4: {address: addresses}});

describe("the MCP server's offered address", () => {
  it("is the primary interface's first address a laptop can reach, past the hassio bridge and the loopback", async () => {
    expect(await offeredWith({interfaces: [nic(["172.30.32.1/23", "127.0.0.1/8", "192.168.1.5/24"], true)]})).toBe(
      "192.168.1.5",
    );
    expect(
      await offeredWith({interfaces: [nic(["10.0.0.7/24"]), nic(["172.30.33.2/23", "192.168.1.9/24"], true)]}),
    ).toBe("192.168.1.9");
    expect(await offeredWith({interfaces: [nic(["172.30.32.1/23"], true), nic(["10.0.0.7/24"])]})).toBe("10.0.0.7");
  });

  it("falls back to this machine's own home-network address, never the bridge's, when the Supervisor says none", async () => {
    const own = homeNetworkAddress();
    if (own !== undefined) expect([isHassioInternal(own), isLoopback(own)]).toEqual([false, false]);
    expect(await offeredWith("refused")).toBe(own);
    expect(await offeredWith({interfaces: [nic(["172.30.32.1/23"], true)]})).toBe(own);
  });

  it("knows the hassio bridge's range and no more", () => {
    expect(["172.30.32.1", "172.30.33.254", "::ffff:172.30.32.1"].map(isHassioInternal)).toEqual([true, true, true]);
    expect(["172.30.34.1", "172.30.31.255", "192.168.1.5", "fe80::1"].map(isHassioInternal)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
