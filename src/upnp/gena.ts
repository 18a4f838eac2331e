import {randomUUID} from "node:crypto";
import type {Logger} from "../core/logger.js";
import {escapeXml} from "./descriptions.js";
import {ANSWER_WAIT_MS, deliver, EventLine, type NotifyOutcome} from "./genaNotify.js";
import {
  callbacksOf,
  GenaRefusal,
  groupOf,
  type OwnPorts,
  type SubscribeRequest,
  sameSubscriber,
  timeoutOf,
} from "./genaSubscribers.js";

/** Subscriptions one renderer keeps at most (all its services); more is not a home's control points. */
export const MAX_SUBSCRIPTIONS = 32;
/**
 * …and from one address (an IPv6 one's /64: a host picks as many addresses there as it likes, so they
 * count as one): a flood from one host cannot take the places of the others. Home Assistant and
 * Music Assistant on one host take three each, and a control point that crashed leaves its set
 * behind until it expires; gmediarender takes twelve too.
 */
export const MAX_PER_ADDRESS = 12;
/**
 * A callback refused (connection refused or reset, an error answer) or unreachable this many times
 * in a row loses its subscription; a 412 answer (the control point disowns the SID) loses it at once
 * (to the initial event: once it is still refused when sent again, see INITIAL_RESEND_MS).
 * A NOTIFY merely left unanswered never counts: the subscription lives until it expires.
 */
const MAX_FAILURES = 3;
/**
 * The initial event (SEQ 0) goes a moment after the SUBSCRIBE answer, on another connection: a
 * control point that has not read its SID from the answer yet answers it 412 (GUPnP does, on a
 * busy machine). It is sent again after each of these waits before that 412 counts.
 */
export const INITIAL_RESEND_MS: readonly number[] = [200, 400, 800];
/** Refusals already logged (host and reason), at most this many remembered. */
const LOGGED_REFUSALS = 512;

export interface Subscription {
  sid: string;
  service: string;
  address: string;
  callbacks: URL[];
  expiresAt: number;
  seq: number;
  failures: number;
  /**
   * Its last NOTIFY was taken but not answered: its next events go as soon as each is written,
   * without waiting for answers it does not give (until it answers one again).
   */
  silent: boolean;
  /** Events go out one at a time, in SEQ order. */
  sending: Promise<void>;
  /** Its kept connections to its callbacks, closed when it ends. */
  line: EventLine;
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
  /** "host reason" of the refusals and replacements already logged: each is logged once, not per request. */
  readonly #logged = new Set<string>();

  constructor(log: Logger, opts: {now?: () => number; ownPorts?: OwnPorts} = {}) {
    this.#log = log;
    this.#now = opts.now ?? Date.now;
    this.#ownPorts = opts.ownPorts ?? (() => ({}));
  }

  /** A new subscription or a renewal; throws GenaRefusal (400, 412, 503) with why, logged once per host and reason. */
  subscribe(req: SubscribeRequest): {sub: Subscription; isNew: boolean} {
    try {
      return this.#subscribe(req);
    } catch (err) {
      if (err instanceof GenaRefusal)
        this.#refused(req.address, err, req.sid === undefined ? "subscription" : "renewal");
      throw err;
    }
  }

  #subscribe(req: SubscribeRequest): {sub: Subscription; isNew: boolean} {
    this.expire();
    const seconds = timeoutOf(req.timeout);
    if (req.sid !== undefined) {
      if (req.callback !== undefined || req.nt !== undefined)
        throw new GenaRefusal(400, "A renewal sends SID alone, without CALLBACK or NT", "renewal-form");
      const sub = this.#held(req.sid, req.service, req.address);
      if (!sub) throw new GenaRefusal(412, `No subscription ${req.sid.slice(0, 60)}`, "unknown-sid");
      sub.expiresAt = this.#now() + seconds * 1000;
      return {sub, isNew: false};
    }
    if (req.nt !== "upnp:event") throw new GenaRefusal(412, "NT must be upnp:event", "nt");
    const callbacks = callbacksOf(req.callback ?? "", req.address, this.#ownPorts());
    const group = groupOf(req.address);
    const mine = [...this.#subs.values()].filter((s) => groupOf(s.address) === group);
    if (mine.length >= MAX_PER_ADDRESS) this.#replaceOldest(mine, req.address, group);
    const all = [...this.#subs.values()];
    if (all.length >= MAX_SUBSCRIPTIONS) this.#makeRoom(all, Math.min(mine.length, MAX_PER_ADDRESS - 1), req.address);
    const sub: Subscription = {
      sid: `uuid:${randomUUID()}`,
      service: req.service,
      address: req.address,
      callbacks,
      expiresAt: this.#now() + seconds * 1000,
      seq: 0,
      failures: 0,
      silent: false,
      sending: Promise.resolve(),
      line: new EventLine(),
    };
    this.#subs.set(sub.sid, sub);
    return {sub, isNew: true};
  }

  /**
   * A host that holds its MAX_PER_ADDRESS places gives up its oldest (whichever service) for the
   * new one: a control point that crashed left its set behind, and the one that starts after it
   * (the same host) must get in. The one dropped hears of it at its renewal (412).
   */
  #replaceOldest(mine: Subscription[], address: string, group: string): void {
    // Oldest first: the map keeps the order subscriptions were made in.
    const oldest = mine[0] as Subscription;
    this.#end(oldest);
    this.#once(
      `${group} host-full`,
      "info",
      `${group === address ? address : `${address}'s network (${group})`} held ${MAX_PER_ADDRESS} event subscriptions to this renderer, the most one host may: its oldest (to ${oldest.service}) gave way to its new one (a control point that stopped without unsubscribing leaves its own behind; logged once for this address)`,
    );
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
    if (!victim)
      throw new GenaRefusal(
        503,
        `This renderer already has ${MAX_SUBSCRIPTIONS} subscriptions, and no host holds more of them than ${address}`,
        "renderer-full",
      );
    this.#end(victim);
    this.#once(
      `${groupOf(address)} made-room`,
      "info",
      `The renderer was full: ${address} took the place of ${victim.address}'s oldest subscription (to ${victim.service}), as ${victim.address}${groupOf(victim.address) === victim.address ? "" : "'s network"} held the most (${most}) (logged once for ${address})`,
    );
  }

  /** A refused SUBSCRIBE or UNSUBSCRIBE, logged once per host and kind of refusal: a control point retrying is not a flood of lines. */
  #refused(address: string, refusal: GenaRefusal, what: "subscription" | "renewal" | "cancellation"): void {
    this.#once(
      `${groupOf(address)} ${refusal.reason}`,
      refusal.status === 503 ? "warning" : "info",
      `Refused an event ${what} from ${address} (HTTP ${refusal.status}): ${refusal.message} (logged once for this address and reason)`,
    );
  }

  #once(key: string, level: "info" | "warning", message: string): void {
    if (this.#logged.has(key)) return;
    if (this.#logged.size >= LOGGED_REFUSALS) this.#logged.clear();
    this.#logged.add(key);
    this.#log[level](message);
  }

  /** Cancel a subscription; only its subscriber (its address, or an IPv6 one's /64) may. */
  unsubscribe(sid: string | undefined, service: string, address: string): void {
    const sub = sid === undefined ? undefined : this.#held(sid, service, address);
    if (!sub) {
      const refusal = new GenaRefusal(412, "No such subscription (SID)", "unknown-sid");
      this.#refused(address, refusal, "cancellation");
      throw refusal;
    }
    this.#end(sub);
  }

  /** A subscription gone (cancelled, expired, dropped, replaced): its kept connections go with it. */
  #end(sub: Subscription): boolean {
    sub.line.close();
    return this.#subs.delete(sub.sid);
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
    for (const sub of this.#subs.values()) if (sub.expiresAt <= now) this.#end(sub);
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
    for (const sub of this.#subs.values()) sub.line.close();
    this.#subs.clear();
  }

  /**
   * Queue an event for one subscription: sent after the ones before it, with the next SEQ. Resolves
   * once its NOTIFY is written (or failed, or the subscription went), not when it is answered: a
   * control point that waits for an action's answer before it reads its events (GUPnP's blocking
   * calls) must not hold the action up. The next event waits for this one's answer (GUPnP takes
   * an event ahead of its SEQ as a lost one), at most ANSWER_WAIT_MS; a subscriber that answered
   * none in that time gets its next events as soon as each is written. Each subscription has its
   * own queue: a slow one slows nobody else.
   *
   * `body` as bytes when one event goes to many subscribers: the bytes are made once per burst, not
   * once per subscriber (a text is made bytes here).
   */
  send(sub: Subscription, body: string | Buffer): Promise<void> {
    const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const seq = sub.seq;
    // SEQ wraps to 1, never back to 0 (0 is the initial event's alone).
    sub.seq = sub.seq >= 4294967295 ? 1 : sub.seq + 1;
    let written: () => void = () => undefined;
    const onTheWire = new Promise<void>((resolve) => {
      written = resolve;
    });
    sub.sending = sub.sending.then(async () => {
      if (!this.#subs.has(sub.sid)) return written();
      const outcome = this.#deliver(sub, seq, payload, written).then((o) => this.#delivered(sub, seq, o));
      await (sub.silent ? Promise.race([onTheWire, outcome]) : outcome);
      written();
    });
    return onTheWire;
  }

  /**
   * One NOTIFY; the initial event again while its control point disowns the SID it has not read yet.
   * On the subscription's kept connection while it answers; once it left one unanswered, on a
   * connection of its own: the one it holds unanswered must hold neither its later events nor,
   * kept, anything else.
   */
  async #deliver(sub: Subscription, seq: number, payload: Buffer, written: () => void): Promise<NotifyOutcome> {
    const msg = {sid: sub.sid, seq, payload};
    let outcome = await deliver(sub.callbacks, msg, written, sub.silent ? undefined : sub.line);
    for (const wait of seq === 0 ? INITIAL_RESEND_MS : []) {
      if (outcome.kind !== "refused" || !outcome.disowned || !this.#subs.has(sub.sid)) break;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
      if (!this.#subs.has(sub.sid)) break;
      outcome = await deliver(sub.callbacks, msg, () => undefined, sub.line);
    }
    return outcome;
  }

  /** What one NOTIFY's outcome says of its subscription: it answers, it is silent (and stays), or its callback fails. */
  #delivered(sub: Subscription, seq: number, outcome: NotifyOutcome): void {
    // Ended while it went (its connection closed with it): nothing is left to count.
    if (!this.#subs.has(sub.sid)) return;
    if (outcome.kind === "answered" || outcome.kind === "silent") {
      if (outcome.kind === "silent" && !sub.silent)
        this.#log.debug(
          `${sub.address} took the event SEQ ${seq} (${sub.service}) without answering in ${ANSWER_WAIT_MS / 1000} s: its next events go without waiting for answers; it keeps its subscription`,
        );
      else this.#log.debug(() => `Event SEQ ${seq} to ${sub.address} for ${sub.service} taken`);
      sub.silent = outcome.kind === "silent";
      sub.failures = 0;
      return;
    }
    sub.failures++;
    this.#log.debug(`An event to ${sub.address} (SEQ ${seq}) failed: ${outcome.why}`);
    const disowned = outcome.kind === "refused" && outcome.disowned;
    if (!disowned && sub.failures < MAX_FAILURES) return;
    this.#end(sub);
    this.#log.info(
      disowned
        ? `Dropped the event subscription of ${sub.address} (to ${sub.service}): its control point answered 412, it has no such subscription`
        : `Dropped the event subscription of ${sub.address} (to ${sub.service}): its callback was ${outcome.kind} ${MAX_FAILURES} times in a row (${outcome.why})`,
    );
  }
}

/** A GENA event body: each evented variable a property (LastChange carries the rest, escaped once more). */
export function propertySet(vars: Readonly<Record<string, string>>): string {
  const props = Object.entries(vars)
    .map(([name, value]) => `<e:property><${name}>${escapeXml(value)}</${name}></e:property>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?>\n<e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0">${props}</e:propertyset>`;
}
