import {createWriteStream} from "node:fs";
import {rm} from "node:fs/promises";
import type {IncomingMessage} from "node:http";
import {type Readable, Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import {isDiskFull} from "./diskFull.js";
import {AppError, errorMessage} from "./errors.js";
import {type FetchPolicy, FetchRefused} from "./fetchPolicy.js";
import {httpGetStream} from "./httpRequest.js";

export interface DownloadLimits {
  maxBytes: number;
  /** For the whole download, headers and body. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Gives up early (the service stopping). */
  signal?: AbortSignal;
  /** Where the URL (and every redirect) may lead; without one, anywhere (our own trusted callers). */
  policy?: FetchPolicy;
  /** Sees every chunk of the body as it is written (a running checksum). */
  onChunk?: (chunk: Buffer) => void;
}

/**
 * A fetch that failed: `upstream` is the status the server answered, 0 when it gave none (out of
 * reach: worth trying again), -1 when we refused what it sent (too large, bad redirects: not).
 */
export class DownloadError extends AppError {
  constructor(
    message: string,
    status: number,
    readonly upstream: number,
  ) {
    super("media_unavailable", message, {status, expose: true});
  }
}

const MAX_REDIRECTS = 5;

/**
 * Fetch `url` into `file`, refusing more than `maxBytes` (by Content-Length before reading, and by
 * counting while reading) and giving up after `timeoutMs`. Redirects are followed by hand so each
 * hop is checked to be http(s) and, with a policy, to lead where fetches may go (after DNS, so a
 * public name pointing inside is refused too). A failed download leaves no file. Errors say which
 * URL and why.
 */
export async function downloadTo(url: string, file: string, limits: DownloadLimits): Promise<{contentType: string}> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  const fail = failing(url);
  let res: IncomingMessage | undefined;
  try {
    res = await answerOf(url, limits, signal);
    await save(
      res,
      file,
      limits.maxBytes,
      () => fail(`it is more than the ${mib(limits.maxBytes)} allowed`, 413),
      limits.onChunk,
    );
    return {contentType: res.headers["content-type"] ?? ""};
  } catch (err) {
    res?.destroy();
    await rm(file, {force: true});
    throw downloadFailure(err, url, limits, signal);
  }
}

/**
 * The answer to `url` once its headers are in, checked as downloadTo checks it (redirects hop by
 * hop through the policy, a 2xx status, a declared length within `maxBytes`): its body is the
 * caller's to read as it arrives, or to destroy. `timeoutMs` bounds the headers only; a body that
 * comes at play speed (a track a server converts while it sends) takes as long as it takes.
 */
export async function openDownload(url: string, limits: DownloadLimits): Promise<IncomingMessage> {
  const answered = new AbortController();
  const late = setTimeout(() => answered.abort(), limits.timeoutMs);
  // Once the headers are in the timer is cleared: only `limits.signal` ends the body then.
  const signal = limits.signal ? AbortSignal.any([answered.signal, limits.signal]) : answered.signal;
  try {
    return await answerOf(url, limits, signal);
  } catch (err) {
    throw downloadFailure(err, url, limits, answered.signal);
  } finally {
    clearTimeout(late);
  }
}

async function answerOf(url: string, limits: DownloadLimits, signal: AbortSignal): Promise<IncomingMessage> {
  const fail = failing(url);
  let current = url;
  let res: IncomingMessage | undefined;
  try {
    for (let hop = 0; ; hop++) {
      const protocol = new URL(current).protocol;
      if (protocol !== "http:" && protocol !== "https:") throw fail(`it redirects to a ${protocol} address`, 400);
      const target = new URL(current);
      try {
        limits.policy?.checkLiteral(target);
        res = await httpGetStream(target, {
          signal,
          headers: limits.headers,
          ...(limits.policy ? {lookup: limits.policy.lookupFor(target)} : {}),
        });
      } catch (err) {
        if (!(err instanceof FetchRefused)) throw err;
        const via = hop > 0 ? `it redirects to ${shown(current)}, and ` : "";
        throw new AppError("fetch_refused", `Could not fetch ${shown(url)}: ${via}${err.message}`, {
          status: 403,
          expose: true,
        });
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status < 300 || status >= 400 || !location) break;
      res.resume();
      if (hop >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(location, current).href;
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300)
      throw fail(`the server answered ${status} ${res.statusMessage ?? ""}`.trim(), 502, status);
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limits.maxBytes)
      throw fail(`it is ${mib(declared)}, more than the ${mib(limits.maxBytes)} allowed`, 413);
    return res;
  } catch (err) {
    res?.destroy();
    throw err;
  }
}

const failing =
  (url: string) =>
  (why: string, status = 502, upstream = -1) =>
    new DownloadError(`Could not fetch ${shown(url)}: ${why}`, status, upstream);

/** Any failure of a fetch in the caller's words: ours (AppError, a full disk) as they are, the rest as a DownloadError. */
function downloadFailure(err: unknown, url: string, limits: DownloadLimits, timedOut: AbortSignal): Error {
  // Our own disk, not the server's fault: the caller says which disk is full.
  if (err instanceof AppError || isDiskFull(err)) return err as Error;
  const fail = failing(url);
  if (limits.signal?.aborted) return fail("the service is stopping", 503);
  if (timedOut.aborted) return fail(`no answer within ${Math.round(limits.timeoutMs / 1000)} s`, 504);
  const cause = (err as {cause?: {code?: string}}).cause?.code;
  return fail(cause ? `it cannot be reached (${cause})` : errorMessage(err), 502, 0);
}

/**
 * The body into `file`, refusing it past `maxBytes`. A pipeline, so a failed write (a full disk)
 * ends the download with that error: writing by hand, it waited for a drain that never came.
 */
async function save(
  body: Readable,
  file: string,
  maxBytes: number,
  tooBig: () => Error,
  onChunk?: (chunk: Buffer) => void,
): Promise<void> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(tooBig());
      onChunk?.(chunk);
      done(null, chunk);
    },
  });
  await pipeline(body, limit, createWriteStream(file, {mode: 0o600}));
}

/** The URL without its query, which may hold someone's token. */
export function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "that address";
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
