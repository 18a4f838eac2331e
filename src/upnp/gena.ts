import {randomUUID} from "node:crypto";
import http from "node:http";
import {isIP} from "node:net";
import {hostIdentity, ipv6Groups, unbracket} from "../core/ipAddress.js";
import type {Logger} from "../core/logger.js";
import {isThisMachine, ownListenerAt} from "../core/ownListeners.js";
import {escapeXml} from "./descriptions.js";

/** Subscriptions one renderer keeps at most (all its services); more is not a home's control points. */
export const MAX_SUBSCRIPTIONS = 32;
/**
 * …and from one address (an IPv6 one's /64: a host picks as many addresses there as it likes, so they
 * count as one): a flood from one host cannot take the places of the others.
 */
export const MAX_PER_ADDRESS = 8;
const MIN_TIMEOUT_S = 60;
const MAX_TIMEOUT_S = 1800;
const NOTIFY_TIMEOUT_MS = 5000;
/** Events to a callback that fails this many times in a row stop: the subscription is dropped. */
const MAX_FAILURES = 3;

export interface Subscription {
  sid: string;
  service: string;
  address: string;
  callbacks: URL[];
  expiresAt: number;
  seq: number;
  failures: number;
  /** Events go out one at a time, in SEQ order. */
  sending: Promise<void>;
}

/** Why a SUBSCRIBE or UNSUBSCRIBE is refused, as the HTTP status UDA names and words for the log. */
export class GenaRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
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
 * GENA for one renderer: subscriptions, renewals, and events sent in order. A callback must be on the
 * subscriber's own address: an event is never sent to a third host, so nobody can use a renderer to
 * make requests to someone else.
 */
export class Subscriptions {
  readonly #subs = new Map<string, Subscription>();
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #ownPorts: OwnPorts;

  constructor(log: Logger, opts: {now?: () => number; ownPorts?: OwnPorts} = {}) {
    this.#log = log;
    this.#now = opts.now ?? Date.now;
    this.#ownPorts = opts.ownPorts ?? (() => ({}));
  }

  /** A new subscription or a renewal; throws GenaRefusal (400, 412, 503) with why. */
  subscribe(req: SubscribeRequest): {sub: Subscription; isNew: boolean} {
    this.expire();
    const seconds = timeoutOf(req.timeout);
    if (req.sid !== undefined) {
      if (req.callback !== undefined || req.nt !== undefined)
        throw new GenaRefusal(400, "A renewal sends SID alone, without CALLBACK or NT");
      const sub = this.#held(req.sid, req.service, req.address);
      if (!sub) throw new GenaRefusal(412, `No subscription ${req.sid.slice(0, 60)}`);
      sub.expiresAt = this.#now() + seconds * 1000;
      return {sub, isNew: false};
    }
    if (req.nt !== "upnp:event") throw new GenaRefusal(412, "NT must be upnp:event");
    const callbacks = callbacksOf(req.callback ?? "", req.address, this.#ownPorts());
    const group = groupOf(req.address);
    const all = [...this.#subs.values()];
    const mine = all.filter((s) => groupOf(s.address) === group).length;
    if (mine >= MAX_PER_ADDRESS)
      throw new GenaRefusal(
        503,
        `${group === req.address ? req.address : `${req.address}'s network (${group})`} already holds ${MAX_PER_ADDRESS} subscriptions to this renderer`,
      );
    if (all.length >= MAX_SUBSCRIPTIONS) this.#makeRoom(all, mine, req.address);
    const sub: Subscription = {
      sid: `uuid:${randomUUID()}`,
      service: req.service,
      address: req.address,
      callbacks,
      expiresAt: this.#now() + seconds * 1000,
      seq: 0,
      failures: 0,
      sending: Promise.resolve(),
    };
    this.#subs.set(sub.sid, sub);
    return {sub, isNew: true};
  }

  /**
   * A full renderer still lets in a control point that holds fewer places than the biggest holder:
   * the biggest holder's oldest subscription goes. Home Assistant and Music Assistant hold two each,
   * so hosts that filled the places (several addresses of one machine) cannot shut them out; the
   * one dropped hears of it at its renewal (412) like any expired subscription.
   */
  #makeRoom(all: Subscription[], mine: number, address: string): void {
    const held = new Map<string, number>();
    for (const sub of all) held.set(groupOf(sub.address), (held.get(groupOf(sub.address)) ?? 0) + 1);
    const most = Math.max(...held.values());
    // Oldest first: the map keeps the order subscriptions were made in.
    const victim = most > mine ? all.find((sub) => held.get(groupOf(sub.address)) === most) : undefined;
    if (!victim) throw new GenaRefusal(503, `This renderer already has ${MAX_SUBSCRIPTIONS} subscriptions`);
    this.#subs.delete(victim.sid);
    this.#log.info(
      `The renderer was full: ${address} took the place of ${victim.address}'s oldest subscription (to ${victim.service}), as ${victim.address}${groupOf(victim.address) === victim.address ? "" : "'s network"} held the most (${most})`,
    );
  }

  /** Cancel a subscription; only its subscriber (its address, or an IPv6 one's /64) may. */
  unsubscribe(sid: string | undefined, service: string, address: string): void {
    const sub = sid === undefined ? undefined : this.#held(sid, service, address);
    if (!sub) throw new GenaRefusal(412, "No such subscription (SID)");
    this.#subs.delete(sub.sid);
  }

  /**
   * The subscription `sid` to `service` if `address` is its subscriber's (or in its /64). Any other
   * host that learnt the SID (it travels in clear) is told there is none, as for a wrong SID: it may
   * neither keep another's subscription alive nor end it.
   */
  #held(sid: string, service: string, address: string): Subscription | undefined {
    const sub = this.#subs.get(sid);
    return sub && sub.service === service && sameSubscriber(sub.address, address) ? sub : undefined;
  }

  expire(): void {
    const now = this.#now();
    for (const [sid, sub] of this.#subs) if (sub.expiresAt <= now) this.#subs.delete(sid);
  }

  of(service: string): Subscription[] {
    this.expire();
    return [...this.#subs.values()].filter((s) => s.service === service);
  }

  get size(): number {
    this.expire();
    return this.#subs.size;
  }

  clear(): void {
    this.#subs.clear();
  }

  /**
   * Queue an event for one subscription: sent after the ones before it, with the next SEQ. Resolves
   * once its NOTIFY is written (or failed, or the subscription went), not when it is answered: a
   * control point that waits for an action's answer before it reads its events (GUPnP's blocking
   * calls) must not hold the action up.
   */
  send(sub: Subscription, body: string): Promise<void> {
    const seq = sub.seq;
    // SEQ wraps to 1, never back to 0 (0 is the initial event's alone).
    sub.seq = sub.seq >= 4294967295 ? 1 : sub.seq + 1;
    let written: () => void = () => undefined;
    const onTheWire = new Promise<void>((resolve) => {
      written = resolve;
    });
    sub.sending = sub.sending.then(async () => {
      if (!this.#subs.has(sub.sid)) return written();
      try {
        await notify(sub, seq, body, written);
        this.#log.debug(`Event SEQ ${seq} to ${sub.address} for ${sub.service} taken`);
        sub.failures = 0;
      } catch (err) {
        sub.failures++;
        this.#log.debug(`An event to ${sub.address} (SEQ ${seq}) failed: ${(err as Error).message}`);
        if (sub.failures >= MAX_FAILURES) {
          this.#subs.delete(sub.sid);
          this.#log.info(
            `Dropped the event subscription of ${sub.address}: its callback failed ${MAX_FAILURES} times (${(err as Error).message})`,
          );
        }
      }
      written();
    });
    return onTheWire;
  }
}

/**
 * Whether `other` may act for the subscriber at `address`: the same address, or for a global IPv6
 * one its /64 (a host's privacy addresses move within it). Link-local addresses all share fe80::/64,
 * every neighbour's too, so there only the very address counts.
 */
function sameSubscriber(address: string, other: string): boolean {
  const linkLocal = (a: string) => /^fe[89ab]/i.test(hostIdentity(a));
  if (linkLocal(address) || linkLocal(other)) return hostIdentity(address) === hostIdentity(other);
  return groupOf(address) === groupOf(other);
}

/** Whose places a subscription takes: an IPv4 address, or an IPv6 address's /64 (one host picks freely within it). */
function groupOf(address: string): string {
  const groups = ipv6Groups(hostIdentity(address));
  if (!groups) return hostIdentity(address);
  const prefix = groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")
    .replace(/(?::0)+$/, "");
  return `${prefix}::/64`;
}

function timeoutOf(header: string | undefined): number {
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
function callbacksOf(header: string, address: string, ownPorts: Record<string, number | undefined>): URL[] {
  if (header.length > 2048) throw new GenaRefusal(412, "CALLBACK is too long");
  const urls = [...header.matchAll(/<([^<>]*)>/g)].map((m) => m[1] ?? "");
  if (urls.length === 0 || urls.length > 4)
    throw new GenaRefusal(412, "CALLBACK must be one to four <http://…> URLs on your own address");
  return urls.map((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new GenaRefusal(412, `CALLBACK '${text.slice(0, 80)}' is not a URL`);
    }
    if (url.protocol !== "http:") throw new GenaRefusal(412, "CALLBACK must be an http:// URL");
    // The very address, or its IPv4-mapped form: a 6to4 or NAT64 address carrying the subscriber's
    // IPv4 address is another host (a gateway, a translator), so it is refused too.
    const host = unbracket(url.hostname);
    if (!isIP(host) || hostIdentity(host) !== hostIdentity(address))
      throw new GenaRefusal(
        412,
        `CALLBACK must be on the subscriber's own address (${address}), not ${url.hostname}: events are never sent to another host`,
      );
    const own = ownListenerAt(url, ownPorts);
    if (own && isThisMachine(host))
      throw new GenaRefusal(
        412,
        `CALLBACK ${url.host} is this service's own ${own.name} listener: give a port your control point listens on`,
      );
    return url;
  });
}

/** One NOTIFY to the first callback that takes it; `written` once one is on the wire. */
async function notify(sub: Subscription, seq: number, body: string, written: () => void): Promise<void> {
  let last: Error | undefined;
  for (const url of sub.callbacks) {
    try {
      await postNotify(url, sub.sid, seq, body, written);
      return;
    } catch (err) {
      last = err as Error;
    }
  }
  throw last ?? new Error("no callback");
}

function postNotify(url: URL, sid: string, seq: number, body: string, written: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, "utf8");
    const req = http.request(
      url,
      {
        method: "NOTIFY",
        headers: {
          "Content-Type": 'text/xml; charset="utf-8"',
          "Content-Length": payload.length,
          NT: "upnp:event",
          NTS: "upnp:propchange",
          SID: sid,
          SEQ: String(seq),
          Connection: "close",
        },
        timeout: NOTIFY_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${NOTIFY_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.on("finish", written);
    req.end(payload);
  });
}

/** A GENA event body: each evented variable a property (LastChange carries the rest, escaped once more). */
export function propertySet(vars: Readonly<Record<string, string>>): string {
  const props = Object.entries(vars)
    .map(([name, value]) => `<e:property><${name}>${escapeXml(value)}</${name}></e:property>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?>\n<e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0">${props}</e:propertyset>`;
}
