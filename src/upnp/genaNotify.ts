import http from "node:http";

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
 * timeouts of the control points' servers seen (aiohttp 75 s, under Home Assistant and Music
 * Assistant): they seldom close one under an event. Node's servers close theirs after 5 s; an
 * event that meets such a close is sent again (deliver).
 */
export const KEPT_IDLE_MS = 30_000;

/**
 * One subscription's kept-alive connections to its callbacks: one per callback at most, reused
 * while the subscriber answers. Node's http.Agent does this as it is: keepAlive with one socket per
 * host and port (a callback), a free socket closed after KEPT_IDLE_MS (or the server's shorter
 * Keep-Alive hint), a socket the server closed dropped from the pool. It never has to queue: a
 * subscription's events go one at a time while it answers, and once it leaves one unanswered its
 * events go on connections of their own (Subscriptions.send). Closed with its subscription.
 */
export class EventLine {
  readonly #agent = new http.Agent({
    keepAlive: true,
    maxSockets: 1,
    maxFreeSockets: 1,
    timeout: KEPT_IDLE_MS,
    scheduling: "lifo",
  });
  #closed = false;

  /** Its agent; none once closed, so an event still going (to its next callback) keeps nothing open. */
  get agent(): http.Agent | undefined {
    return this.#closed ? undefined : this.#agent;
  }

  /** Its connections closed, a NOTIFY still on one too (its subscription ended). */
  close(): void {
    this.#closed = true;
    this.#agent.destroy();
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
    const sent = await postNotify(url, msg, written, line?.agent);
    // The classic keep-alive race: the subscriber closed the kept connection as this event went
    // out on it, before reading it. Once more on a new connection, same SEQ: nothing is lost.
    outcome = sent.stale ? (await postNotify(url, msg, written, line?.agent)).outcome : sent.outcome;
    if (outcome.kind === "answered" || outcome.kind === "silent") return outcome;
  }
  return outcome;
}

interface Sent {
  outcome: NotifyOutcome;
  /** Failed on a reused connection before any answer came: the subscriber had closed it. */
  stale: boolean;
}

/** Where a callback is, as http.request takes it: worked out once per callback, not per event. */
interface Target {
  host: string;
  port: number;
  path: string;
  /** The Host header's value. */
  hostHeader: string;
}
const targets = new WeakMap<URL, Target>();

function targetOf(url: URL): Target {
  let target = targets.get(url);
  if (!target) {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    target = {host, port: Number(url.port) || 80, path: `${url.pathname}${url.search}`, hostHeader: url.host};
    targets.set(url, target);
  }
  return target;
}

function postNotify(url: URL, msg: NotifyMessage, written: () => void, agent?: http.Agent): Promise<Sent> {
  const target = targetOf(url);
  return new Promise((resolve) => {
    let connectTimer: NodeJS.Timeout | undefined;
    let answerTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (outcome: NotifyOutcome, stale = false) => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      resolve({outcome, stale});
    };
    // The headers as a list, written as they are (Host included): none is looked at or checked
    // again for each subscriber of a burst.
    const headers = [
      "Host",
      target.hostHeader,
      "Content-Type",
      'text/xml; charset="utf-8"',
      "Content-Length",
      String(msg.payload.length),
      "NT",
      "upnp:event",
      "NTS",
      "upnp:propchange",
      "SID",
      msg.sid,
      "SEQ",
      String(msg.seq),
    ];
    // Without a kept line, a connection of its own (Connection: close): an earlier one left
    // unanswered must not hold this one.
    if (!agent) headers.push("Connection", "close");
    const req = http.request({
      host: target.host,
      port: target.port,
      path: target.path,
      method: "NOTIFY",
      agent: agent ?? false,
      headers,
    });
    req.on("socket", (socket) => {
      // A kept connection is open already: only a new one has a connect to wait for.
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        finish({kind: "unreachable", why: `no connection in ${CONNECT_WAIT_MS / 1000} s`});
        req.destroy();
      }, CONNECT_WAIT_MS);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("finish", () => {
      written();
      answerTimer = setTimeout(() => {
        finish({kind: "silent"});
        // Its connection goes with it: the next event must not wait behind this one.
        req.destroy();
      }, ANSWER_WAIT_MS);
    });
    req.on("response", (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) finish({kind: "answered"});
      else finish({kind: "refused", why: `answered ${status}`, disowned: status === 412});
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "";
      finish(
        UNREACHABLE.has(code)
          ? {kind: "unreachable", why: err.message}
          : {kind: "refused", why: err.message, disowned: false},
        req.reusedSocket && CLOSED_UNDER_US.has(code),
      );
    });
    req.end(msg.payload);
  });
}
