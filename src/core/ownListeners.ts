import {hostname, networkInterfaces} from "node:os";
import {addressKind} from "./fetchPolicy.js";
import {unbracket, unmapped} from "./ipAddress.js";

/**
 * Whether a URL leads back to this service's own listeners. Two features fetch addresses someone
 * else wrote (radio stations, media servers' links), and a fetch from this machine to its own
 * admin port counts as a trusted local caller, so both refuse these; the judgement is kept here,
 * once, and each feature words its own refusal.
 */

/** A URL's port, the scheme's default when it names none. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** Which of this service's listeners (`{audio: 8080, admin: 8099}`) `url`'s port is; undefined for none. */
export function ownListenerAt(
  url: URL,
  ports: Record<string, number | undefined>,
): {name: string; port: number} | undefined {
  const port = portOf(url);
  const name = Object.entries(ports).find(([, p]) => p === port)?.[0];
  return name ? {name, port} : undefined;
}

/**
 * Whether an address is this machine's: loopback, unspecified (which connects here), or one of
 * its interfaces' addresses, however written (bracketed, with a zone, as an IPv6 form of IPv4).
 */
export function isThisMachine(address: string): boolean {
  const ip = comparable(address);
  const kind = addressKind(ip);
  if (kind === "loopback" || kind === "unspecified") return true;
  for (const list of Object.values(networkInterfaces()))
    for (const iface of list ?? []) if (comparable(iface.address) === ip) return true;
  return false;
}

/**
 * The names that are this machine without asking DNS: `localhost` and `*.localhost` (which
 * resolve to loopback), and its host name (also with `.local`); a trailing dot is the same name.
 */
export function thisMachineName(host: string): "localhost" | "host name" | undefined {
  const name = unbracket(host.toLowerCase()).replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "localhost";
  const own = hostname().toLowerCase();
  return name === own || name === `${own}.local` ? "host name" : undefined;
}

/** An address to compare: without a zone, then as fetches are judged (lower case, unbracketed, IPv4 inside IPv6). */
function comparable(address: string): string {
  return unmapped(unbracket(address).split("%")[0] as string);
}
