import {Wire, type WireResult} from "./genaWire.js";

/**
 * How long a NOTIFY's answer is waited for before the subscriber's next event goes. UDA allows a
 * control point 30 s; waiting that long would hold every later event of one that never answers
 * (npm's upnp-device-client, under dlnacasts, reads the event and leaves the request open).
 */
export const ANSWER_WAIT_MS = 2000;
/** How long a connection to a callback may take to open: no TCP answer in that time is an unreachable callback. */
export const CONNECT_WAIT_MS = 2000;

/**
 * How long a kept connection to a callback may sit idle before it is closed. Below the idle
 * timeouts of the control points' servers seen (aiohttp's, under Home Assistant and Music
 * Assistant: 75 s, 3630 s in later versions, aio-libs/aiohttp#9285): they seldom close one under
 * an event. Node's servers close theirs after 5 s; an event that meets such a close is sent again
 * (deliver).
 */
export const KEPT_IDLE_MS = 30_000;

/**
 * One subscription's kept-alive connections to its callbacks: one per callback at most, reused
 * while the subscriber answers, closed after KEPT_IDLE_MS idle, dropped when the subscriber closes
 * it or answers in a way that ends it, and closed with the subscription. A subscription's events
 * go one at a time while it answers; once it leaves one unanswered they go on connections of their
 * own (Subscriptions.send), so one connection per callback is all it needs.
 */
export class EventLine {
  readonly #wires = new Map<string, Wire>();
  #closed = false;

  /** The kept connection to `target` if it is free (a new one, kept, if there is none). */
  wireTo(target: Target): {wire: Wire; kept: boolean} {
    const kept = this.#wires.get(target.key);
    if (kept?.idle) return {wire: kept, kept: true};
    const wire = new Wire(target.key, target.host, target.port);
    if (this.#closed || (kept && !kept.socket.destroyed)) return {wire, kept: false};
    this.#wires.set(target.key, wire);
    wire.onGone = () => {
      if (this.#wires.get(target.key) === wire) this.#wires.delete(target.key);
    };
    return {wire, kept: true};
  }

  /** Its connections closed, a NOTIFY still on one too (its subscription ended). */
  close(): void {
    this.#closed = true;
    for (const wire of this.#wires.values()) wire.socket.destroy();
    this.#wires.clear();
  }
}

/** What became of one NOTIFY. */
export type NotifyOutcome =
  /** A 2xx answer. */
  | {kind: "answered"}
  /** Taken (the connection accepted, the event written) but not answered in ANSWER_WAIT_MS: the subscriber stays. */
  | {kind: "silent"}
  /**
   * Refused: the connection refused or reset, or an answer other than 2xx. `disowned` when the
   * answer was 412: the control point says it has no such subscription (any more).
   */
  | {kind: "refused"; why: string; disowned: boolean}
  /** No connection: no TCP answer in CONNECT_WAIT_MS, or no route to the host. */
  | {kind: "unreachable"; why: string};

const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "ETIMEDOUT", "EADDRNOTAVAIL"]);
/** How a kept connection the subscriber closed between events fails a request sent on it. */
const CLOSED_UNDER_US = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

export interface NotifyMessage {
  sid: string;
  seq: number;
  /** The property set, built once for all the burst's subscribers. */
  payload: Buffer;
}

/**
 * One NOTIFY to each callback in turn until one takes it (answered or silent); `written` once one
 * is on the wire. Never rejects: what happened is the outcome (the last callback's, if none took it).
 * With `line`, it goes on that subscription's kept connection to the callback (opened if there is
 * none); without, on a connection of its own, closed after it.
 */
export async function deliver(
  callbacks: readonly URL[],
  msg: NotifyMessage,
  written: () => void,
  line?: EventLine,
): Promise<NotifyOutcome> {
  let outcome: NotifyOutcome = {kind: "unreachable", why: "no callback"};
  for (const url of callbacks) {
    const sent = await postNotify(url, msg, written, line);
    // The classic keep-alive race: the subscriber closed the kept connection as this event went
    // out on it, before reading it. Once more on a new connection, same SEQ: nothing is lost.
    outcome = sent.stale ? (await postNotify(url, msg, written, line)).outcome : sent.outcome;
    if (outcome.kind === "answered" || outcome.kind === "silent") return outcome;
  }
  return outcome;
}

interface Sent {
  outcome: NotifyOutcome;
  /** Failed on a reused connection before any answer came: the subscriber had closed it. */
  stale: boolean;
}

/** Where a callback is: worked out once per callback, not per event. */
interface Target {
  key: string;
  host: string;
  port: number;
  /** The request line's start and the Host header, the same for every event. */
  start: string;
}
const targets = new WeakMap<URL, Target>();

function targetOf(url: URL): Target {
  let target = targets.get(url);
  if (!target) {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port) || 80;
    const start = `NOTIFY ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
    target = {key: `${host} ${port}`, host, port, start};
    targets.set(url, target);
  }
  return target;
}

const WAITS = {connectMs: CONNECT_WAIT_MS, answerMs: ANSWER_WAIT_MS};

function postNotify(url: URL, msg: NotifyMessage, written: () => void, line?: EventLine): Promise<Sent> {
  const target = targetOf(url);
  const {wire, kept} = line ? line.wireTo(target) : {wire: new Wire(target.key, target.host, target.port), kept: false};
  const head =
    `${target.start}Content-Type: text/xml; charset="utf-8"\r\nContent-Length: ${msg.payload.length}\r\n` +
    `NT: upnp:event\r\nNTS: upnp:propchange\r\nSID: ${msg.sid}\r\nSEQ: ${msg.seq}\r\n` +
    // Not kept, a connection of its own (Connection: close): an earlier one left unanswered must not hold this one.
    `Connection: ${kept ? "keep-alive" : "close"}\r\n\r\n`;
  return new Promise((resolve) => {
    wire.send(head, msg.payload, WAITS, written, (result, reusable) => {
      if (kept && reusable) wire.rest(KEPT_IDLE_MS);
      resolve(sentOf(result));
    });
  });
}

function sentOf(result: WireResult): Sent {
  if ("status" in result) {
    const {status} = result;
    if (status >= 200 && status < 300) return {outcome: {kind: "answered"}, stale: false};
    const why = status === 0 ? "answered something other than HTTP" : `answered ${status}`;
    return {outcome: {kind: "refused", why, disowned: status === 412}, stale: false};
  }
  if ("silent" in result) return {outcome: {kind: "silent"}, stale: false};
  if ("timeout" in result)
    return {outcome: {kind: "unreachable", why: `no connection in ${CONNECT_WAIT_MS / 1000} s`}, stale: false};
  const code = result.failed?.code ?? "";
  const why = result.failed?.message ?? "socket hang up";
  return {
    outcome: UNREACHABLE.has(code) ? {kind: "unreachable", why} : {kind: "refused", why, disowned: false},
    stale: result.reused && (result.failed === undefined || CLOSED_UNDER_US.has(code)),
  };
}
