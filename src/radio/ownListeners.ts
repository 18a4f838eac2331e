import type {LookupAddress, LookupAllOptions} from "node:dns";
import {isIP} from "node:net";
import {FetchRefused} from "../core/fetchPolicy.js";
import {unbracket} from "../core/ipAddress.js";
import {isThisMachine, ownListenerAt, thisMachineName} from "../core/ownListeners.js";
import {type StationPolicy, shownUrl} from "./policyGet.js";

/** This service's own listeners by what they are (`{audio: 8080, admin: 8099}`); undefined until one listens. */
export type OwnPorts = () => Record<string, number | undefined>;

/**
 * A station address that leads back to this service. A FetchRefused, so it passes through the
 * HTTP layer as it is; a 400 with its own code, since the address given is what is wrong.
 */
export class OwnListenerRefused extends FetchRefused {
  override readonly code = "station_is_own_listener";
  override readonly status = 400;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The fetch policy, with every station fetch (the address, each redirect, station file and HLS
 * segment) also refused when it would reach one of this service's own listeners: a station named
 * by another spelling of this machine (`localhost`, `127.0.0.2`, `[::1]`, `0.0.0.0`, the
 * machine's name or one of its interfaces' addresses) at the audio or admin port is a stream
 * listening to itself, or the admin API fetched as a trusted local caller. Checked before the
 * policy where it can be (so the message is this one, not "add it to fetch_allow"), and on the
 * addresses a name resolves to.
 */
export function guardOwnListeners(policy: StationPolicy, ports: OwnPorts): StationPolicy {
  return {
    checkLiteral(url) {
      const host = unbracket(url.hostname.toLowerCase());
      const own = isIP(host) ? refusal(url, ports, host) : namedRefusal(url, ports, host);
      if (own) throw new OwnListenerRefused(own);
      policy.checkLiteral(url);
    },
    lookupFor(url) {
      const resolve = policy.lookupFor(url);
      const lookup = (name: string, options: unknown, callback: unknown) => {
        const cb = (typeof options === "function" ? options : callback) as LookupCallback;
        const opts = (typeof options === "object" && options !== null ? options : {}) as LookupAllOptions;
        resolve(name, {...opts, all: true}, (err, addresses) => {
          if (err) return cb(err, opts.all ? [] : "");
          const own = addresses.map((a) => refusal(url, ports, a.address)).find(Boolean);
          if (own) return cb(new OwnListenerRefused(own), opts.all ? [] : "");
          if (opts.all) return cb(null, addresses);
          const first = addresses[0] as LookupAddress;
          cb(null, first.address, first.family);
        });
      };
      return lookup as unknown as ReturnType<StationPolicy["lookupFor"]>;
    },
  };
}

/** Why `url`, whose host is (or resolved to) `address`, is this service; undefined when it is not. */
function refusal(url: URL, ports: OwnPorts, address: string): string | undefined {
  const what = ownListenerAt(url, ports());
  if (!what || !isThisMachine(address)) return undefined;
  const host = unbracket(url.hostname.toLowerCase());
  const named = host === unbracket(address.toLowerCase()) ? address : `'${host}' (${address})`;
  return message(url, named, what);
}

/** The names that are this machine without asking DNS: `localhost` (and `*.localhost`), its host name. */
function namedRefusal(url: URL, ports: OwnPorts, host: string): string | undefined {
  const what = ownListenerAt(url, ports());
  if (!what) return undefined;
  const name = thisMachineName(host);
  if (name === "localhost") return message(url, `'${host}'`, what);
  if (name === "host name") return message(url, `'${host}' (this machine's name)`, what);
  return undefined;
}

function message(url: URL, named: string, what: {name: string; port: number}): string {
  return `${shownUrl(url)} leads back to this service: ${named} is this machine, and port ${what.port} is its own ${what.name} listener. A station stream cannot play this service's own audio: give it the radio station's own address`;
}
