import {BlockList, isIP} from "node:net";
import {normalizeAddress} from "../core/address.js";

/** Where a home's control points are: loopback, the private ranges, link-local and unique-local. */
const HOME_RANGES: Array<[string, number, "ipv4" | "ipv6"]> = [
  ["127.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["::1", 128, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["fc00::", 7, "ipv6"],
];

/**
 * Who may control the renderers and subscribe to them: the home's own ranges, and what `upnp_allow`
 * adds (addresses or CIDR ranges). A renderer plays URLs it is given, so nobody outside may give it one.
 */
export class UpnpAccess {
  readonly #allowed = new BlockList();

  constructor(extra: readonly string[] = []) {
    for (const [base, bits, type] of HOME_RANGES) this.#allowed.addSubnet(base, bits, type);
    for (const entry of extra) this.#add(entry);
  }

  allows(address: string | undefined): boolean {
    const ip = normalizeAddress(address);
    const type = isIP(ip);
    return type !== 0 && this.#allowed.check(ip, type === 6 ? "ipv6" : "ipv4");
  }

  #add(entry: string): void {
    const value = entry.trim();
    // One address and at most one prefix length: "10.0.0.0/8/16" is a typo, not the /8.
    const [, base = "", bits] = /^([^/]*)(?:\/(\d{1,3}))?$/.exec(value) ?? [];
    const type = isIP(base);
    const max = type === 6 ? 128 : 32;
    if (!type || (bits !== undefined && Number(bits) > max))
      throw new Error(
        `upnp_allow entry '${entry}' is not an IP address or CIDR range (like 192.168.1.20 or 100.64.0.0/10)`,
      );
    const family = type === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) this.#allowed.addAddress(base, family);
    else this.#allowed.addSubnet(base, Number(bits), family);
  }
}
