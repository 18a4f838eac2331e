import http from "node:http";

/**
 * How long a NOTIFY's answer is waited for before the subscriber's next event goes. UDA allows a
 * control point 30 s; waiting that long would hold every later event of one that never answers
 * (npm's upnp-device-client, under dlnacasts, reads the event and leaves the request open).
 */
export const ANSWER_WAIT_MS = 2000;
/** How long a connection to a callback may take to open: no TCP answer in that time is an unreachable callback. */
export const CONNECT_WAIT_MS = 2000;

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

export interface NotifyMessage {
  sid: string;
  seq: number;
  body: string;
}

/**
 * One NOTIFY to each callback in turn until one takes it (answered or silent); `written` once one
 * is on the wire. Never rejects: what happened is the outcome (the last callback's, if none took it).
 */
export async function deliver(
  callbacks: readonly URL[],
  msg: NotifyMessage,
  written: () => void,
): Promise<NotifyOutcome> {
  let outcome: NotifyOutcome = {kind: "unreachable", why: "no callback"};
  for (const url of callbacks) {
    outcome = await postNotify(url, msg, written);
    if (outcome.kind === "answered" || outcome.kind === "silent") return outcome;
  }
  return outcome;
}

function postNotify(url: URL, msg: NotifyMessage, written: () => void): Promise<NotifyOutcome> {
  return new Promise((resolve) => {
    const payload = Buffer.from(msg.body, "utf8");
    let connectTimer: NodeJS.Timeout | undefined;
    let answerTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (outcome: NotifyOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      resolve(outcome);
    };
    const req = http.request(url, {
      method: "NOTIFY",
      // A connection of its own each time (Connection: close): an earlier one left unanswered must not hold this one.
      agent: false,
      headers: {
        "Content-Type": 'text/xml; charset="utf-8"',
        "Content-Length": payload.length,
        NT: "upnp:event",
        NTS: "upnp:propchange",
        SID: msg.sid,
        SEQ: String(msg.seq),
        Connection: "close",
      },
    });
    connectTimer = setTimeout(() => {
      finish({kind: "unreachable", why: `no connection in ${CONNECT_WAIT_MS / 1000} s`});
      req.destroy();
    }, CONNECT_WAIT_MS);
    req.on("socket", (socket) => socket.once("connect", () => clearTimeout(connectTimer)));
    req.on("finish", () => {
      written();
      answerTimer = setTimeout(() => {
        finish({kind: "silent"});
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
      );
    });
    req.end(payload);
  });
}
