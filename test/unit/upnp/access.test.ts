import {describe, expect, it} from "vitest";
import {UpnpAccess} from "../../../src/upnp/access.js";

const badEntry = (entry: string) =>
  `upnp_allow entry '${entry}' is not an IP address or CIDR range (like 192.168.1.20 or 100.64.0.0/10)`;

describe("UpnpAccess: who may control the renderers", () => {
  it("lets in loopback and the home's private, link-local and unique-local ranges, in either address form", () => {
    const access = new UpnpAccess();
    for (const address of [
      "127.0.0.1",
      "127.9.9.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.254",
      "192.168.1.20",
      "169.254.7.7",
      "::1",
      "fe80::1",
      "fe80::1%eth0",
      "fd12:3456::1",
      "::ffff:192.168.1.20",
    ])
      expect(access.allows(address), address).toBe(true);
  });

  it("refuses public addresses, ranges beside the private ones, and what is no address", () => {
    const access = new UpnpAccess();
    for (const address of [
      "8.8.8.8",
      "172.32.0.1",
      "172.15.255.255",
      "192.169.0.1",
      "100.64.0.1",
      "::ffff:8.8.8.8",
      "2001:db8::1",
      "fec0::1",
      "",
      undefined,
      "localhost",
      "10.1.2.3.4",
    ])
      expect(access.allows(address), String(address)).toBe(false);
  });

  it("adds the addresses and CIDR ranges upnp_allow lists, and nothing beside them", () => {
    const access = new UpnpAccess(["100.64.0.0/10", " 203.0.113.9 ", "2001:db8:1::/48"]);
    expect(access.allows("100.100.1.1")).toBe(true);
    expect(access.allows("100.128.0.1")).toBe(false);
    expect(access.allows("203.0.113.9")).toBe(true);
    expect(access.allows("::ffff:203.0.113.9")).toBe(true);
    expect(access.allows("203.0.113.10")).toBe(false);
    expect(access.allows("2001:db8:1:ffff::1")).toBe(true);
    expect(access.allows("2001:db8:2::1")).toBe(false);
    // The home's own ranges stay.
    expect(access.allows("192.168.1.20")).toBe(true);
  });

  it("refuses a upnp_allow entry that is no address or range, naming it and showing what one looks like", () => {
    for (const entry of [
      "nas.local",
      "",
      "10.0.0.0/33",
      "10.0.0.0/",
      "10.0.0.0/x",
      "::1/129",
      "10.0.0.0/8/16",
      "0.0.0.0/0 10.0.0.1",
      "192.168.1.300",
    ])
      expect(() => new UpnpAccess([entry]), entry).toThrow(badEntry(entry));
  });
});
