import os from "node:os";

/** One IPv4 address of this machine and its netmask: where SSDP joins the group and announces. */
export interface SsdpInterface {
  address: string;
  netmask: string;
}

/** Every IPv4 address of this machine, loopback included (a control point on this machine searches over lo). */
export function ipv4Interfaces(): SsdpInterface[] {
  const out: SsdpInterface[] = [];
  for (const entries of Object.values(os.networkInterfaces()))
    for (const entry of entries ?? [])
      if (entry.family === "IPv4") out.push({address: entry.address, netmask: entry.netmask});
  return out;
}

function toNumber(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

const isLoopback = (address: string) => address.startsWith("127.");

/**
 * The address of this machine a searcher at `sender` reaches: a socket on every interface cannot
 * tell which one a datagram came in on, so the interface on the sender's subnet, loopback for a
 * sender on this machine, else the first address off loopback (a searcher routed from elsewhere).
 */
export function localAddressFor(sender: string, interfaces: readonly SsdpInterface[]): string | undefined {
  if (isLoopback(sender)) return "127.0.0.1";
  const from = toNumber(sender);
  const outside = interfaces.filter((i) => !isLoopback(i.address));
  if (from !== undefined)
    for (const candidate of outside) {
      const address = toNumber(candidate.address);
      const mask = toNumber(candidate.netmask);
      if (address === undefined || mask === undefined) continue;
      // >>> 0: JavaScript's bitwise operators are signed; compare as unsigned 32-bit numbers.
      if ((address & mask) >>> 0 === (from & mask) >>> 0) return candidate.address;
    }
  return outside[0]?.address;
}
