import net from "node:net";

/**
 * The HTTP/1.1 a NOTIFY needs, on plain sockets: one request written at once, its answer's status
 * read and its body (Content-Length) skipped, the connection kept when the answer allows it. Node's
 * http client did the same at three to four times the CPU per request (its request and response
 * objects, header checks, listeners per request): with 200 subscribers that was most of a burst's
 * cost. A NOTIFY sends nothing else and needs nothing else of the answer.
 */

/** What one request on a wire came to: the answer's status, or why none came. */
export type WireResult =
  | {status: number}
  | {failed: NodeJS.ErrnoException | undefined; reused: boolean; answered: false}
  | {silent: true}
  | {timeout: "connect"};

/** One connection to a callback, carrying one request at a time. */
export class Wire {
  readonly socket: net.Socket;
  /** Requests it carried before the one on it now: a failure then may be the subscriber's close of an idle connection. */
  used = 0;
  #request: Request | undefined;
  /** Told when the connection is gone (the line forgets it). */
  onGone: (() => void) | undefined;

  constructor(
    readonly key: string,
    host: string,
    port: number,
  ) {
    this.socket = net.connect({host, port, noDelay: true});
    // Set only while it waits idle for the next request (rest): then the time is up.
    this.socket.on("timeout", () => this.socket.destroy());
    this.socket.on("data", (chunk: Buffer) => {
      // Bytes on an idle connection are no answer to anything: it cannot be trusted with the next.
      if (this.#request) this.#request.data(chunk);
      else this.socket.destroy();
    });
    this.socket.on("error", (err: NodeJS.ErrnoException) => this.#request?.gone(err));
    this.socket.on("close", () => {
      this.#request?.gone(undefined);
      this.onGone?.();
    });
  }

  get idle(): boolean {
    return this.#request === undefined && !this.socket.destroyed;
  }

  /** Waits idle for the next request, closed after `ms` if none comes. */
  rest(ms: number): void {
    this.socket.setTimeout(ms);
  }

  /**
   * Writes `head` and `payload`; `written` once they are with the system; `done` with the answer's
   * status (or why none), and whether the connection may carry the next request.
   */
  send(
    head: string,
    payload: Buffer,
    waits: {connectMs: number; answerMs: number},
    written: () => void,
    done: (result: WireResult, reusable: boolean) => void,
  ): void {
    const request = new Request(this, done);
    this.#request = request;
    this.socket.setTimeout(0);
    if (this.socket.connecting) {
      request.timer = setTimeout(() => request.finish({timeout: "connect"}, false), waits.connectMs);
      this.socket.once("connect", () => clearTimeout(request.timer));
    }
    this.socket.cork();
    this.socket.write(head, "latin1");
    this.socket.write(payload, (err) => {
      if (err || request.over) return;
      written();
      clearTimeout(request.timer);
      request.timer = setTimeout(() => request.finish({silent: true}, false), waits.answerMs);
    });
    this.socket.uncork();
  }

  /** The request on it is over: it is free for the next, or closed. */
  release(request: Request, reusable: boolean): void {
    if (this.#request !== request) return;
    this.#request = undefined;
    this.used++;
    if (!reusable) this.socket.destroy();
  }
}

const HEAD_END = Buffer.from("\r\n\r\n");
/** An answer's head longer than this is no control point's: the connection is dropped. */
const MAX_HEAD = 16 * 1024;

/** One request on a wire: its answer read as it comes. */
class Request {
  timer: NodeJS.Timeout | undefined;
  over = false;
  #got: Buffer | undefined;
  /** Body bytes still to skip once the head is read; reusable once they are. */
  #bodyLeft = -1;
  #reusable = false;

  constructor(
    readonly wire: Wire,
    readonly done: (result: WireResult, reusable: boolean) => void,
  ) {}

  data(chunk: Buffer): void {
    if (this.#bodyLeft >= 0) {
      this.#skip(chunk.length);
      return;
    }
    const got = this.#got ? Buffer.concat([this.#got, chunk]) : chunk;
    const end = got.indexOf(HEAD_END);
    if (end < 0) {
      this.#got = got;
      if (got.length > MAX_HEAD) this.finish({status: 0}, false);
      return;
    }
    this.#got = undefined;
    const head = got.toString("latin1", 0, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    // 100 Continue and the like come before the answer: read on.
    if (status >= 100 && status < 200) {
      if (got.length > end + 4) this.data(got.subarray(end + 4));
      return;
    }
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    // Kept only when where the answer ends is plain: HTTP/1.1, a length, no close asked for.
    this.#reusable =
      head.startsWith("HTTP/1.1") &&
      length !== null &&
      !/\r\nconnection:[^\r]*close/i.test(head) &&
      !/\r\ntransfer-encoding:/i.test(head);
    this.#bodyLeft = length ? Number(length[1]) : 0;
    this.finish({status}, this.#reusable, false);
    this.#skip(got.length - end - 4);
  }

  #skip(bytes: number): void {
    this.#bodyLeft -= bytes;
    if (this.#bodyLeft > 0) return;
    // More than the answer said: the connection is out of step.
    this.wire.release(this, this.#reusable && this.#bodyLeft === 0);
  }

  gone(err: NodeJS.ErrnoException | undefined): void {
    // Reused and closed before any byte of an answer: the subscriber closed it as this went out.
    const reused = this.wire.used > 0 && this.#got === undefined && this.#bodyLeft < 0;
    this.finish({failed: err, reused, answered: false}, false);
    this.wire.release(this, false);
  }

  /** The outcome, once; the wire released now unless the answer's body is still to be read. */
  finish(result: WireResult, reusable: boolean, release = true): void {
    if (this.over) {
      if (release) this.wire.release(this, false);
      return;
    }
    this.over = true;
    clearTimeout(this.timer);
    if (release) this.wire.release(this, reusable);
    this.done(result, reusable);
  }
}
