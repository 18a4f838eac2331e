import http, {type IncomingHttpHeaders, type IncomingMessage} from "node:http";
import https from "node:https";
import type {LookupFunction} from "node:net";
import {FetchRefused} from "./fetchPolicy.js";

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** For the whole exchange: connecting, the headers and the body. */
  timeoutMs: number;
  /** A body larger than this is refused (default 8 MiB): nothing we call answers more. */
  maxBytes?: number;
  /** Resolves the host name (a FetchPolicy's, to refuse addresses inside the home network). */
  lookup?: LookupFunction;
  /** Certificates to trust for HTTPS instead of the system's (a household's own CA, a test's). */
  ca?: string | Buffer;
}

export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
}

export type HttpFailure = "timeout" | "unreachable" | "too_large" | "refused";

/** Why an exchange did not complete, in words a user can act on (`reason`), without the URL's query. */
export class HttpRequestError extends Error {
  readonly kind: HttpFailure;
  readonly reason: string;

  constructor(kind: HttpFailure, reason: string, options?: {cause?: unknown}) {
    super(reason, options);
    this.name = "HttpRequestError";
    this.kind = kind;
    this.reason = reason;
  }
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * One HTTP(S) request with the answer read whole. Node's `fetch` would do, but the first call loads
 * undici and its WebAssembly parser, about 15 MB of memory held for good by a service that calls
 * Yoto a few times an hour (bench/footprint.ts); node:http is loaded anyway.
 */
export function httpRequest(url: string | URL, opts: HttpRequestOptions): Promise<HttpAnswer> {
  const target = typeof url === "string" ? new URL(url) : url;
  const client = clientFor(target);
  if (!client)
    return Promise.reject(new HttpRequestError("unreachable", `${target.protocol} addresses are not supported`));
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: HttpRequestError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new HttpRequestError("timeout", `no answer within ${seconds(opts.timeoutMs)}`)),
      opts.timeoutMs,
    );
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = client.request(target, {
      method: opts.method ?? "GET",
      headers: {...opts.headers, ...(body ? {"Content-Length": String(body.length)} : {})},
      ...(opts.lookup ? {lookup: opts.lookup} : {}),
      ...(opts.ca && target.protocol === "https:" ? {ca: opts.ca} : {}),
    });
    req.on("error", (err) => fail(asRequestError(err, target)));
    req.on("response", (res: IncomingMessage) => {
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new HttpRequestError("too_large", `the answer is ${declared} bytes, more than the ${maxBytes} expected`));
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on("data", (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxBytes) fail(new HttpRequestError("too_large", `the answer is more than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on("error", (err) => fail(new HttpRequestError("unreachable", networkReason(err, target), {cause: err})));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const all = Buffer.concat(chunks, length);
        resolve({
          status,
          ok: status >= 200 && status < 300,
          headers: res.headers,
          body: all,
          text: () => all.toString("utf8"),
        });
      });
    });
    req.end(body);
  });
}

/**
 * A GET whose body the caller reads as a stream (and must consume or destroy). Redirects are not
 * followed: the caller checks each hop. `signal` aborts the whole exchange, body included.
 */
export function httpGetStream(
  url: string | URL,
  opts: {headers?: Record<string, string>; signal?: AbortSignal; lookup?: LookupFunction},
): Promise<IncomingMessage> {
  const target = typeof url === "string" ? new URL(url) : url;
  const client = clientFor(target);
  if (!client)
    return Promise.reject(new HttpRequestError("unreachable", `${target.protocol} addresses are not supported`));
  return new Promise((resolve, reject) => {
    const req = client.get(target, {
      headers: opts.headers,
      signal: opts.signal,
      ...(opts.lookup ? {lookup: opts.lookup} : {}),
    });
    req.once("error", (err) => reject(err instanceof FetchRefused ? err : asRequestError(err, target)));
    req.once("response", resolve);
  });
}

function clientFor(target: URL): typeof http | typeof https | undefined {
  return target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
}

/** A refused address keeps its own words; any other network error is said the usual way. */
function asRequestError(err: NodeJS.ErrnoException, target: URL): HttpRequestError {
  const kind = err instanceof FetchRefused ? "refused" : "unreachable";
  return new HttpRequestError(kind, err instanceof FetchRefused ? err.message : networkReason(err, target), {
    cause: err,
  });
}

/** "connection refused by 127.0.0.1:4000" rather than "fetch failed". */
function networkReason(err: NodeJS.ErrnoException, target: URL): string {
  const where = target.host;
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused by ${where}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the name '${target.hostname}' could not be resolved`;
    case "ECONNRESET":
    case "EPIPE":
      return `${where} closed the connection`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} cannot be reached`;
    default:
      return err.code ? `${err.message} (${err.code})` : err.message;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** An answer's JSON object, or `{}` for anything else (an HTML error page, `null`): callers then report the status. */
export function jsonObject(text: string): object {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
