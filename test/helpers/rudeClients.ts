import http from "node:http";
import net from "node:net";

/**
 * Listeners that walk away the way real ones do, over real TCP: a raw HTTP/1.1 GET on a node:net
 * socket, then one of these. A Yoto switched off mid-story, a phone leaving the Wi-Fi, a speaker
 * changing source: none of them says goodbye, and the service must not care.
 *
 * - `beforeHeaders`: reset right after the request is written, before any answer.
 * - `afterHeaders`: reset as soon as the response headers have arrived.
 * - `midBody`: reset after some bytes of the body.
 * - `halfClose`: end its side right after the request (FIN), read some of the answer, then drop.
 * - `neverRead`: stop reading at once and hold the connection open (the server's writes pile up)
 *   until the server gives up or the test lets go (`release`).
 */
export const RUDE_BEHAVIOURS = ["beforeHeaders", "afterHeaders", "midBody", "halfClose", "neverRead"] as const;
export type RudeBehaviour = (typeof RUDE_BEHAVIOURS)[number];

export interface RudeOptions {
  /** Body bytes `midBody` and `halfClose` read before they go (fewer when the body is shorter). */
  bodyBytes?: number;
  /** More request headers (a DLNA renderer's `getcontentFeatures.dlna.org: 1`). */
  headers?: Record<string, string>;
}

export interface RudeVisit {
  behaviour: RudeBehaviour;
  /** The status line's code, when the headers came before the client left. */
  status?: number;
  /** Body bytes received (chunked framing included) before it left. */
  bodyBytes: number;
  /**
   * Destroys the connection (a `neverRead` client holds it until this; the others are gone
   * already). Resolves once the socket is closed on this side.
   */
  release(): Promise<void>;
}

const HEAD_END = "\r\n\r\n";
const DEFAULT_BODY_BYTES = 32 * 1024;

/**
 * One rude visit to `url`. Resolves once the client has done its rudeness: for every behaviour
 * but `neverRead` its socket is then closed; a `neverRead` client resolves once the server's
 * answer has started to arrive (or the server closed it), and stays open until `release()`.
 */
export function rudeVisit(url: string, behaviour: RudeBehaviour, opts: RudeOptions = {}): Promise<RudeVisit> {
  const target = new URL(url);
  const wanted = opts.bodyBytes ?? DEFAULT_BODY_BYTES;
  return new Promise((resolve) => {
    const socket = net.connect({host: target.hostname, port: Number(target.port)});
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    // A reset or refused connection is the point of the exercise, never the test's failure.
    socket.on("error", () => undefined);
    let head = "";
    let status: number | undefined;
    let bodyBytes = 0;
    let bodyLength: number | undefined;
    let chunked = false;
    let finished = false;
    const finish = (how: "reset" | "destroy" | "hold") => {
      if (finished) return;
      finished = true;
      if (how === "reset") resetAndDestroy(socket);
      else if (how === "destroy") socket.destroy();
      resolve({
        behaviour,
        status,
        bodyBytes,
        release: () => {
          socket.destroy();
          return closed;
        },
      });
    };
    // Whatever the server did, a client still waiting when it closes is done.
    socket.once("close", () => finish("destroy"));

    socket.once("connect", () => {
      socket.write(requestHead(target, opts.headers));
      if (behaviour === "beforeHeaders") return finish("reset");
      if (behaviour === "halfClose") socket.end();
      if (behaviour === "neverRead") {
        // Paused with a 'readable' listener: the first bytes are noticed but never read, so the
        // socket's buffer fills and the kernel's behind it; the server sees a client that stopped.
        socket.pause();
        socket.once("readable", () => finish("hold"));
        return;
      }
      socket.on("data", (chunk: Buffer) => {
        if (status === undefined) {
          head += chunk.toString("latin1");
          const end = head.indexOf(HEAD_END);
          if (end === -1) return;
          const headers = head.slice(0, end);
          status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 0);
          const length = /\r\ncontent-length: *(\d+)/i.exec(headers)?.[1];
          bodyLength = length === undefined ? undefined : Number(length);
          chunked = /\r\ntransfer-encoding: *chunked/i.test(headers);
          bodyBytes = head.length - end - HEAD_END.length;
          if (behaviour === "afterHeaders") return finish("reset");
        } else {
          bodyBytes += chunk.length;
        }
        const complete =
          (bodyLength !== undefined && bodyBytes >= bodyLength) ||
          (chunked && chunk.subarray(-5).toString("latin1") === "0\r\n\r\n") ||
          (!chunked && bodyLength === undefined && status !== undefined && status !== 200 && status !== 206);
        if (bodyBytes >= wanted || complete) finish(behaviour === "halfClose" ? "destroy" : "reset");
      });
    });
  });
}

/** A plain HTTP/1.1 GET's head, as a player writes it. */
function requestHead(target: URL, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    "User-Agent: rude-client",
    "Accept: */*",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** A TCP reset (RST, not FIN): what a player losing power or its network looks like to the server. */
function resetAndDestroy(socket: net.Socket): void {
  // Only a connected socket can be reset; one still connecting is just dropped.
  if (socket.connecting || socket.destroyed) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * Runs `visits` (each a function starting one rude visit) with at most `concurrency` under way
 * at once, in order. Returns every visit, for the caller to release the ones still held.
 */
export async function rudeCrowd(visits: Array<() => Promise<RudeVisit>>, concurrency: number): Promise<RudeVisit[]> {
  const done: RudeVisit[] = [];
  let next = 0;
  const worker = async () => {
    while (next < visits.length) {
      const visit = visits[next++] as () => Promise<RudeVisit>;
      done.push(await visit());
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, visits.length)}, worker));
  return done;
}

/**
 * A well-behaved listener: GET `url`, read until `bytes` of body came (or all of it, if less),
 * then hang up politely. Its status and the body bytes it got.
 */
export function politeVisit(
  url: string,
  opts: {bytes?: number; headers?: Record<string, string>} = {},
): Promise<{status: number; bytes: number}> {
  const wanted = opts.bytes ?? 16 * 1024;
  return new Promise((resolve, reject) => {
    const req = http.get(url, {headers: opts.headers}, (res) => {
      let got = 0;
      const done = () => {
        res.destroy();
        resolve({status: res.statusCode ?? 0, bytes: got});
      };
      res.on("data", (chunk: Buffer) => {
        got += chunk.length;
        if (got >= wanted) done();
      });
      res.on("end", done);
      res.on("error", () => undefined);
    });
    req.on("error", reject);
  });
}
