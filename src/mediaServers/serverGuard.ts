import type {LookupFunction} from "node:net";
import {isIP} from "node:net";
import {AppError} from "../core/errors.js";
import {addressKind, judgedLookup} from "../core/fetchPolicy.js";
import {unbracket, unmapped} from "../core/ipAddress.js";
import type {Logger} from "../core/logger.js";
import {isThisMachine, ownListenerAt, portOf} from "../core/ownListeners.js";

/** This service's own listeners, as they are now (their ports are known once they listen). */
export interface OwnListeners {
  /** Named ports: `{admin: 8099, audio: 8080, MQTT: 1883}`. */
  ports: Record<string, number | undefined>;
  /** Origins they are reached by (public_url, the listeners' own URLs), whatever address those resolve to. */
  origins: Array<string | undefined>;
}

export interface ServerGuardOptions {
  /** Whether fetch_allow lists the URL (its host, host:port, or the address it resolved to). */
  listed: (url: URL, address?: string) => boolean;
  ownListeners: () => OwnListeners;
  log: Logger;
}

/** Addresses where clouds answer with a machine's credentials, outside the link-local ranges. */
const METADATA = new Set(["fd00:ec2::254", "100.100.100.200"]);

/** A media server's link this service will not follow: the message names the URL and why. */
export class ServerRefused extends AppError {
  constructor(why: string) {
    super("source_refused", why, {status: 403, expose: true});
  }
}

/**
 * What a media server may make this service fetch. Its answers (a description's controlURL, a
 * listing's track links, redirects) are the server's to write, and a server that is not what it
 * seems could point them at any port of its host: this service's own admin API among them, where
 * a fetch from the same machine counts as a trusted caller. So every fetch for a server stays on
 * the scheme, host and port its description came from (a port the family lists in fetch_allow
 * too), never reaches this service's own listeners, and never a link-local or cloud metadata
 * address unless fetch_allow lists it.
 */
export class ServerGuard {
  readonly #opts: ServerGuardOptions;
  /** Refusals already logged: a server asked again and again is named once. */
  readonly #logged = new Set<string>();

  constructor(opts: ServerGuardOptions) {
    this.#opts = opts;
  }

  /**
   * Why `url` may not be fetched for the server whose description is at `origin`; `address` is
   * what its host resolved to (the host itself for an IP literal, undefined before resolving).
   */
  refusal(url: URL, origin: URL, address?: string): string | undefined {
    const own = this.#ownListener(url, address);
    if (own) return `${url} leads to ${own}: a media server's links are never followed back to this service`;
    if ((url.protocol !== origin.protocol || portOf(url) !== portOf(origin)) && !this.#opts.listed(url, address)) {
      const entry = `${url.hostname}:${portOf(url)}`;
      return `${url} is not where the media server at ${origin.host} was found (another ${url.protocol !== origin.protocol ? "scheme" : "port"}): a media server is fetched from only at the address and port it was added or found with; if that port is the server's too, add '${entry}' to the fetch_allow option`;
    }
    return address === undefined ? undefined : this.#linkLocal(url, address);
  }

  /**
   * A link-local or cloud metadata address, unless fetch_allow lists it: media servers live on
   * the home network (private addresses are theirs), but nothing a family serves music from sits
   * where a cloud hands a machine its credentials.
   */
  #linkLocal(url: URL, address: string): string | undefined {
    const ip = unmapped(address);
    const metadata = METADATA.has(ip) || ip === "169.254.169.254";
    if ((addressKind(ip) !== "link-local" && !metadata) || this.#opts.listed(url, address)) return undefined;
    const host = unbracket(url.hostname);
    const named = host === ip ? ip : `'${host}' (${ip})`;
    const entry = isIP(host) ? unmapped(host) : host;
    return `${url} is not fetched: ${named} is ${metadata ? "a cloud metadata" : "a link-local"} address, which a media server is not fetched from unless you allow it: add '${entry}' to the fetch_allow option (--fetch_allow ${entry} or YSS_FETCH_ALLOW=${entry}) if it is yours`;
  }

  /** Refuse `url` now when it is refused before resolving (or its host is an address). */
  check(url: URL, origin: URL): void {
    const host = unbracket(url.hostname);
    this.#refuse(this.refusal(url, origin, isIP(host) ? host : undefined));
  }

  /** A `lookup` that refuses a name resolving to a refused address. */
  lookupFor(url: URL, origin: URL): LookupFunction {
    return judgedLookup((address) => {
      const why = this.refusal(url, origin, address);
      return why ? this.#refused(why) : undefined;
    }) as unknown as LookupFunction;
  }

  #refuse(why: string | undefined): void {
    if (why) throw this.#refused(why);
  }

  #refused(why: string): ServerRefused {
    if (!this.#logged.has(why) && this.#logged.size < 100) {
      this.#logged.add(why);
      this.#opts.log.warning(`Media server link refused: ${why}`);
    }
    return new ServerRefused(why);
  }

  /** "this service's own admin port (8099)" when `url` reaches one of this service's listeners. */
  #ownListener(url: URL, address: string | undefined): string | undefined {
    const {ports, origins} = this.#opts.ownListeners();
    const host = unbracket(url.hostname.toLowerCase());
    const ip = address ?? (isIP(host) ? host : host === "localhost" ? "127.0.0.1" : undefined);
    const listener = ownListenerAt(url, ports);
    if (listener && ip !== undefined && isThisMachine(ip))
      return `this service's own ${listener.name} port (${listener.port})`;
    // By a name or an address this machine does not know as its own (a proxy, a port forward).
    const origin = url.origin.toLowerCase();
    if (origins.some((o) => o !== undefined && URL.canParse(o) && new URL(o).origin.toLowerCase() === origin))
      return `this service's own public address (${origin})`;
    return undefined;
  }
}
