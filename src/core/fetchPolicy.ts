import {lookup as dnsLookup, type LookupAddress, type LookupAllOptions} from "node:dns";
import {BlockList, isIP} from "node:net";
import {AppError} from "./errors.js";
import {unbracket, unmapped} from "./ipAddress.js";
import {isThisMachine, ownListenerAt} from "./ownListeners.js";

/**
 * Where the service may fetch from. Announcement media and podcast enclosures are URLs chosen by
 * someone else (an automation, whoever publishes a feed); fetched blindly, they reach the home
 * network and this service's own admin API as a trusted loopback caller. So loopback, link-local
 * and private addresses are refused, judged on the address a name resolves to (a public name may
 * point inside) and again on every redirect, unless the family lists the host in `fetch_allow`.
 * Home Assistant's own URLs and this service's public audio URL are trusted by origin.
 */
export class FetchPolicy {
  readonly #allowedHosts = new Set<string>();
  /** `*.home.arpa` entries, kept as ".home.arpa". */
  readonly #allowedSuffixes: string[] = [];
  readonly #allowedHostPorts = new Set<string>();
  readonly #allowedAddresses = new BlockList();
  readonly #allowedAddressPorts = new Set<string>();
  readonly #trusted: Array<() => string | undefined> = [];
  readonly #trustedOrigins = new Set<string>();
  readonly #neverPorts: Array<() => Record<string, number | undefined>> = [];

  /** `allow` entries: `host`, `host:port`, an IP, `ip:port`, `[v6]:port` or a CIDR range. */
  constructor(allow: readonly string[] = []) {
    for (const entry of allow) this.allow(entry);
  }

  /** Add one `fetch_allow` entry; a malformed one throws, naming it. */
  allow(entry: string): void {
    const value = withoutTrailingDot(entry.trim().toLowerCase());
    if (value === "*" || value === "*.*")
      throw new Error(
        `fetch_allow entry '${entry}' would allow the whole home network; list your hosts or ranges instead (like nas.local or 192.168.1.0/24)`,
      );
    if (value.startsWith("*.")) {
      const suffix = value.slice(1);
      if (!/^(\.[a-z0-9-]+)+$/.test(suffix))
        throw new Error(`fetch_allow entry '${entry}' is not a wildcard name (like *.home.arpa)`);
      this.#allowedSuffixes.push(suffix);
      return;
    }
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(value);
    if (cidr) {
      const [, base = "", bits = ""] = cidr;
      const type = isIP(base);
      const max = type === 6 ? 128 : 32;
      if (!type || Number(bits) > max)
        throw new Error(`fetch_allow entry '${entry}' is not a CIDR range (like 192.168.1.0/24)`);
      this.#allowedAddresses.addSubnet(base, Number(bits), type === 6 ? "ipv6" : "ipv4");
      return;
    }
    const {host, port} = splitHostPort(value);
    if (!host || (port !== undefined && !(port > 0 && port < 65536)) || /[\s/@]/.test(host))
      throw new Error(
        `fetch_allow entry '${entry}' is not a host, host:port, IP address or CIDR range (like nas.local, 192.168.1.20:8000 or 192.168.1.0/24)`,
      );
    // An address written as IPv6 that carries an IPv4 one is the IPv4 one, as fetches are judged.
    const address = isIP(host) ? unmapped(host) : host;
    const type = isIP(address);
    if (type && port === undefined) this.#allowedAddresses.addAddress(address, type === 6 ? "ipv6" : "ipv4");
    else if (type) this.#allowedAddressPorts.add(`${address}|${port}`);
    else if (port === undefined) this.#allowedHosts.add(host);
    else this.#allowedHostPorts.add(`${host}|${port}`);
  }

  /**
   * This service's own listeners (`{admin: 8099}`, read at use), which nothing it fetches may reach on
   * this machine whatever fetch_allow or a trusted origin says: a fetch from here to the admin port
   * is a trusted local caller (a cast URL, an announcement's media, a redirect leading there).
   */
  neverFetch(ports: () => Record<string, number | undefined>): void {
    this.#neverPorts.push(ports);
  }

  /** An origin trusted whatever it resolves to (read at use: the public URL may be known only later). */
  trust(origin: () => string | undefined): void {
    this.#trusted.push(origin);
  }

  /** Home Assistant's own URLs, learnt once they are known. */
  trustOrigin(url: string): void {
    const origin = originOf(url);
    if (origin) this.#trustedOrigins.add(origin);
  }

  /**
   * Why `url` may not be fetched at `address` (what its host resolved to), or undefined when it may.
   * `address` is the host itself for an IP literal.
   */
  refusal(url: URL, address: string): string | undefined {
    const own = this.#ownListener(url, address);
    if (own) return own;
    if (this.#isTrusted(url)) return undefined;
    const host = withoutTrailingDot(unbracket(url.hostname.toLowerCase()));
    const ip = unmapped(address);
    const kind = addressKind(ip);
    if (!kind || this.listed(url, address)) return undefined;
    const named = host === ip ? ip : `'${host}' (${ip})`;
    // What to list: the address as fetches are judged (an IPv6 form carrying IPv4 is the IPv4).
    const entry = isIP(host) ? unmapped(host) : host;
    const article = /^[aeiou]/.test(kind) ? "an" : "a";
    return `${named} is ${article} ${kind} address, which this service does not fetch from unless you allow it: add '${entry}' to the fetch_allow option (--fetch_allow ${entry} or YSS_FETCH_ALLOW=${entry}) if it is yours`;
  }

  /**
   * Whether `fetch_allow` lists `url` (its host, host:port, or `address`, what the host resolved
   * to, by address, address:port or range). Trusted origins are not listed: what else judges by
   * the list (media servers) must not take this service's own addresses for allowed.
   */
  listed(url: URL, address?: string): boolean {
    const host = withoutTrailingDot(unbracket(url.hostname.toLowerCase()));
    const port = effectivePort(url);
    if (this.#allowedHosts.has(host) || this.#allowedHostPorts.has(`${host}|${port}`)) return true;
    if (this.#allowedSuffixes.some((suffix) => host.endsWith(suffix))) return true;
    const ip = unmapped(address ?? host);
    const type = isIP(ip);
    if (!type) return false;
    return (
      this.#allowedAddresses.check(ip, type === 6 ? "ipv6" : "ipv4") || this.#allowedAddressPorts.has(`${ip}|${port}`)
    );
  }

  /** Check a URL whose host is an IP literal now; names are checked by `lookup` once resolved. */
  checkLiteral(url: URL): void {
    const host = unbracket(url.hostname);
    if (isIP(host)) this.#throwIfRefused(url, host);
  }

  /**
   * A `lookup` for node:http that resolves the name and refuses the connection when any address
   * it resolves to is refused: one bad address among good ones is how a name is made to point in.
   */
  lookupFor(url: URL): typeof dnsLookup {
    return judgedLookup((address) => {
      const why = this.refusal(url, address);
      return why ? new FetchRefused(why) : undefined;
    });
  }

  #throwIfRefused(url: URL, address: string): void {
    const why = this.refusal(url, address);
    if (why) throw new FetchRefused(why);
  }

  #ownListener(url: URL, address: string): string | undefined {
    if (this.#neverPorts.length === 0 || !isThisMachine(address)) return undefined;
    const own = ownListenerAt(url, Object.assign({}, ...this.#neverPorts.map((ports) => ports())));
    return own ? `${url.host} is this service's own ${own.name} listener, which it never fetches from` : undefined;
  }

  #isTrusted(url: URL): boolean {
    const origin = url.origin.toLowerCase();
    if (this.#trustedOrigins.has(origin)) return true;
    return this.#trusted.some((read) => originOf(read()) === origin);
  }
}

/**
 * A `lookup` for node:http that resolves the name and fails the connection with `judge`'s error
 * when any address it resolves to is refused: one bad address among good ones is how a name is
 * made to point in.
 */
export function judgedLookup(judge: (address: string) => Error | undefined): typeof dnsLookup {
  const lookup = (hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const opts = (typeof options === "object" && options !== null ? options : {}) as LookupAllOptions;
    dnsLookup(hostname, {...opts, all: true}, (err, addresses) => {
      if (err) return cb(err, opts.all ? [] : "");
      const refused = addresses.map((a) => judge(a.address)).find(Boolean);
      if (refused) return cb(refused, opts.all ? [] : "");
      if (opts.all) return cb(null, addresses);
      const first = addresses[0] as LookupAddress;
      cb(null, first.address, first.family);
    });
  };
  return lookup as unknown as typeof dnsLookup;
}

/** A fetch the policy refused: the caller words it with the URL. */
export class FetchRefused extends AppError {
  constructor(why: string) {
    super("fetch_refused", why, {status: 403, expose: true});
  }
}

const SPECIAL_V4: Array<[string, number, string]> = [
  ["127.0.0.0", 8, "loopback"],
  ["0.0.0.0", 8, "unspecified"],
  ["169.254.0.0", 16, "link-local"],
  ["10.0.0.0", 8, "private"],
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["100.64.0.0", 10, "shared (carrier-grade NAT)"],
  ["192.0.0.0", 24, "reserved"],
  ["198.18.0.0", 15, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];
const SPECIAL_V6: Array<[string, number, string]> = [
  ["::1", 128, "loopback"],
  ["::", 128, "unspecified"],
  ["fe80::", 10, "link-local"],
  ["fc00::", 7, "private"],
  // Deprecated, but a network that still routes it keeps it inside.
  ["fec0::", 10, "site-local"],
  // NAT64 for a network's own translator: what it reaches is that network's choice.
  ["64:ff9b:1::", 48, "local-use NAT64"],
  // Teredo: a tunnel whose far end is an IPv4 host (obfuscated in the last 32 bits) that a relay
  // or this machine's own Teredo client would reach; no home device needs it, so it is never a way round.
  ["2001::", 32, "Teredo tunnel"],
  ["ff00::", 8, "multicast"],
];
const RANGES = SPECIAL_V4.map(([base, bits, kind]) => ({kind, list: block(base, bits, "ipv4")})).concat(
  SPECIAL_V6.map(([base, bits, kind]) => ({kind, list: block(base, bits, "ipv6")})),
);

/** "loopback", "private", … for an address that is not on the public internet; undefined for a public one. */
export function addressKind(address: string): string | undefined {
  const ip = unmapped(address);
  const type = isIP(ip);
  if (!type) return "unknown";
  const family = type === 6 ? "ipv6" : "ipv4";
  return RANGES.find((r) => r.list.check(ip, family))?.kind;
}

function block(base: string, bits: number, type: "ipv4" | "ipv6"): BlockList {
  const list = new BlockList();
  list.addSubnet(base, bits, type);
  return list;
}

function withoutTrailingDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

function splitHostPort(value: string): {host: string; port?: number} {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return {host: bracketed[1] as string, ...(bracketed[2] ? {port: Number(bracketed[2])} : {})};
  if (isIP(value) === 6) return {host: value};
  const colon = value.lastIndexOf(":");
  if (colon === -1) return {host: value};
  const port = value.slice(colon + 1);
  return {host: value.slice(0, colon), port: /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN};
}

function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return undefined;
  }
}
