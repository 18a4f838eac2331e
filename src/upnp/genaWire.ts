import net from "node:net";

/**
 * The HTTP/1.1 a NOTIFY needs, on plain sockets: one request written at once, its answer's status
 * read and its body (a length, or chunked) skipped, the connection kept when the answer allows it. Node's
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
      request.timer = setTimeout(() => request.timeUp(), waits.answerMs);
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

/**
 * One request on a wire: its answer read as it comes, body and all, before the wire carries the
 * next. An answer framed plainly (a length, or chunked as Node's servers answer `writeHead(200).end()`)
 * keeps the connection; one that ends at close, asks for close or is out of step does not.
 */
class Request {
  timer: NodeJS.Timeout | undefined;
  over = false;
  #got: Buffer | undefined;
  /** Some byte of an answer came: a close after it is no stale connection. */
  #heard = false;
  /** The answer's status, once its head is read. */
  #status: number | undefined;
  #body: AnswerBody | undefined;

  constructor(
    readonly wire: Wire,
    readonly done: (result: WireResult, reusable: boolean) => void,
  ) {}

  data(chunk: Buffer): void {
    this.#heard = true;
    if (this.#body) {
      this.#read(chunk, 0);
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
    const body = status === 0 ? undefined : bodyOf(head, status);
    // Its end is at close, or close is asked for: the status is all there is to read.
    if (!body) {
      this.finish({status}, false);
      return;
    }
    this.#status = status;
    this.#body = body;
    this.#read(got, end + 4);
  }

  /** The answer's body from `from` on; the request over once it has all come. */
  #read(chunk: Buffer, from: number): void {
    const state = this.#body?.read(chunk, from);
    // Bytes past the answer's end, or framing no server sends: the connection is out of step.
    if (state === "done" || state === "bad") this.finish({status: this.#status ?? 0}, state === "done");
  }

  gone(err: NodeJS.ErrnoException | undefined): void {
    // Closed with the answer's head read: it was answered, on a connection that is not kept.
    if (this.#status !== undefined) {
      this.finish({status: this.#status}, false);
      return;
    }
    // Reused and closed before any byte of an answer: the subscriber closed it as this went out.
    const reused = this.wire.used > 0 && !this.#heard;
    this.finish({failed: err, reused, answered: false}, false);
  }

  /** No (whole) answer in the wait: silent, or answered with a body that never ended (the connection not kept). */
  timeUp(): void {
    this.finish(this.#status === undefined ? {silent: true} : {status: this.#status}, false);
  }

  /** The outcome, once; the wire released with it (closed unless `reusable`). */
  finish(result: WireResult, reusable: boolean): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.timer);
    this.wire.release(this, reusable);
    this.done(result, reusable);
  }
}

/** Reads an answer's body as it comes: more to read, all read, or framing that cannot be followed. */
interface AnswerBody {
  read(chunk: Buffer, from: number): "more" | "done" | "bad";
}

/**
 * How the answer whose head is `head` ends, when the connection may carry another request after
 * it: HTTP/1.1 without close asked for, and a body of a given length (none for 204 and 304) or
 * chunked. Undefined when it ends at close.
 */
function bodyOf(head: string, status: number): AnswerBody | undefined {
  if (!head.startsWith("HTTP/1.1") || /\r\nconnection:[^\r]*\bclose\b/i.test(head)) return undefined;
  const coding = /\r\ntransfer-encoding:([^\r]*)/i.exec(head);
  // Chunked must be the last coding (RFC 9112 6.1); any other ends at close.
  if (coding) return /(?:^|,)[ \t]*chunked[ \t]*$/i.test(coding[1] ?? "") ? new Chunked() : undefined;
  if (status === 204 || status === 304) return new Sized(0);
  const length = /\r\ncontent-length:[ \t]*(\d{1,15})[ \t]*(?:\r|$)/i.exec(head);
  return length ? new Sized(Number(length[1])) : undefined;
}

class Sized implements AnswerBody {
  constructor(private left: number) {}

  read(chunk: Buffer, from: number): "more" | "done" | "bad" {
    this.left -= chunk.length - from;
    return this.left > 0 ? "more" : this.left === 0 ? "done" : "bad";
  }
}

/** A chunk-size line (hex digits, extensions) or the trailer longer than this is no answer to follow. */
const MAX_LINE = 1024;
const CR = 13;
const LF = 10;

/**
 * A chunked body (RFC 9112 7.1), skipped in one pass over its bytes: each chunk's size line, its
 * data and CRLF, the last chunk (size 0) and the trailer's lines up to the empty one.
 */
class Chunked implements AnswerBody {
  #state: "size" | "ext" | "sizeLf" | "data" | "dataCr" | "dataLf" | "trailer" | "trailerLf" | "done" = "size";
  #size = 0;
  #digits = 0;
  /** Bytes of the line being read (a size line's extensions, a trailer line). */
  #line = 0;

  read(chunk: Buffer, from: number): "more" | "done" | "bad" {
    for (let i = from; i < chunk.length; i++) {
      if (this.#state === "data") {
        const take = Math.min(this.#size, chunk.length - i);
        this.#size -= take;
        i += take - 1;
        if (this.#size === 0) this.#state = "dataCr";
        continue;
      }
      if (!this.#step(chunk[i] as number)) return "bad";
    }
    return this.#state === "done" ? "done" : "more";
  }

  /** One byte outside a chunk's data; false when it cannot be there. */
  #step(byte: number): boolean {
    switch (this.#state) {
      case "size": {
        const digit = hexValue(byte);
        if (digit >= 0 && this.#digits < 8) {
          this.#size = this.#size * 16 + digit;
          this.#digits++;
          return true;
        }
        if (this.#digits === 0 || digit >= 0) return false;
        this.#line = 0;
        this.#state = byte === CR ? "sizeLf" : "ext";
        return byte === CR || byte === 0x3b || byte === 0x20 || byte === 0x09;
      }
      case "ext":
        if (byte === CR) this.#state = "sizeLf";
        return byte !== LF && ++this.#line <= MAX_LINE;
      case "sizeLf":
        if (byte !== LF) return false;
        this.#digits = 0;
        this.#state = this.#size === 0 ? "trailer" : "data";
        return true;
      case "dataCr":
        this.#state = "dataLf";
        return byte === CR;
      case "dataLf":
        this.#state = "size";
        return byte === LF;
      case "trailer":
        if (byte === CR) this.#state = "trailerLf";
        else this.#line++;
        return byte !== LF && this.#line <= MAX_LINE;
      case "trailerLf":
        if (byte !== LF) return false;
        // An empty line ends the trailer, and the answer; a field line is skipped.
        this.#state = this.#line === 0 ? "done" : "trailer";
        this.#line = 0;
        return true;
      default:
        // A byte after the answer's end: the subscriber sent more than one answer.
        return false;
    }
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
