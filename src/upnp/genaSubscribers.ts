import {isIP} from "node:net";
import {hostIdentity, ipv6Groups, unbracket} from "../core/ipAddress.js";
import {isThisMachine, ownListenerAt} from "../core/ownListeners.js";

// Who a SUBSCRIBE comes from, how long it may last, and where its events may be sent: read from the
// request's headers and the connection's address, refused in UDA's words (gena.ts keeps the subscriptions).

const MIN_TIMEOUT_S = 60;
const MAX_TIMEOUT_S = 1800;

/** Why a SUBSCRIBE or UNSUBSCRIBE is refused, as the HTTP status UDA names and words for the log. */
export class GenaRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What kind of refusal, for logging each kind once per host. */
    readonly reason: string = String(status),
  ) {
    super(message);
  }
}

export interface SubscribeRequest {
  service: string;
  /** The subscriber's own address (the connection's). */
  address: string;
  sid?: string;
  callback?: string;
  nt?: string;
  timeout?: string;
}

/**
 * Whether `other` may act for the subscriber at `address`: the same address, or for a global IPv6
 * one its /64 (a host's privacy addresses move within it). Link-local addresses all share fe80::/64,
 * every neighbour's too, so there only the very address counts.
 */
export function sameSubscriber(address: string, other: string): boolean {
  const linkLocal = (a: string) => /^fe[89ab]/i.test(hostIdentity(a));
  if (linkLocal(address) || linkLocal(other)) return hostIdentity(address) === hostIdentity(other);
  return groupOf(address) === groupOf(other);
}

/** Whose places a subscription takes: an IPv4 address, or an IPv6 address's /64 (one host picks freely within it). */
export function groupOf(address: string): string {
  const groups = ipv6Groups(hostIdentity(address));
  if (!groups) return hostIdentity(address);
  const prefix = groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")
    .replace(/(?::0)+$/, "");
  return `${prefix}::/64`;
}

export function timeoutOf(header: string | undefined): number {
  const m = /^Second-(\d{1,9})$/i.exec((header ?? "").trim());
  if (!m) return MAX_TIMEOUT_S;
  return Math.min(MAX_TIMEOUT_S, Math.max(MIN_TIMEOUT_S, Number(m[1])));
}

/** This service's own listeners by name (`{admin: 8099, UPnP: 49494}`). */
export type OwnPorts = () => Record<string, number | undefined>;

/**
 * `<http://host:port/path>` one or more; each must be http and on the subscriber's own address, and
 * never one of this service's own listeners: a control point on this machine could otherwise have
 * the renderer send NOTIFYs to the admin port, where a local caller is trusted.
 */
export function callbacksOf(header: string, address: string, ownPorts: Record<string, number | undefined>): URL[] {
  if (header.length > 2048) throw new GenaRefusal(412, "CALLBACK is too long", "callback");
  const urls = [...header.matchAll(/<([^<>]*)>/g)].map((m) => m[1] ?? "");
  if (urls.length === 0 || urls.length > 4)
    throw new GenaRefusal(412, "CALLBACK must be one to four <http://…> URLs on your own address", "callback");
  return urls.map((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new GenaRefusal(412, `CALLBACK '${text.slice(0, 80)}' is not a URL`, "callback");
    }
    if (url.protocol !== "http:") throw new GenaRefusal(412, "CALLBACK must be an http:// URL", "callback");
    // The very address, or its IPv4-mapped form: a 6to4 or NAT64 address carrying the subscriber's
    // IPv4 address is another host (a gateway, a translator), so it is refused too.
    const host = unbracket(url.hostname);
    if (!isIP(host) || hostIdentity(host) !== hostIdentity(address))
      throw new GenaRefusal(
        412,
        `CALLBACK must be on the subscriber's own address (${address}), not ${url.hostname}: events are never sent to another host`,
        "callback",
      );
    const own = ownListenerAt(url, ownPorts);
    if (own && isThisMachine(host))
      throw new GenaRefusal(
        412,
        `CALLBACK ${url.host} is this service's own ${own.name} listener: give a port your control point listens on`,
        "callback",
      );
    return url;
  });
}
