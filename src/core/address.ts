import {isIP} from "node:net";

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one rule covers IPv4 peers on dual-stack sockets. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function isLoopback(address: string): boolean {
  const a = normalizeAddress(address);
  return a === "::1" || (isIP(a) === 4 && a.startsWith("127."));
}
