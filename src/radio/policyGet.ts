import type {IncomingMessage} from "node:http";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {HttpRequestError, httpGetStream} from "../core/httpRequest.js";

const MAX_REDIRECTS = 5;

/** A station's address as people may see it: never its user name or password. */
export function shownUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    if (!u.username && !u.password) return u.toString();
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    // Not a URL: whatever sits before an '@' could be a password.
    return String(url).replace(/\/\/[^/@\s]*@/g, "//");
  }
}

/** Basic auth for a URL that carries credentials: node:http sends none of its own from a URL object. */
function authHeader(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return {Authorization: `Basic ${Buffer.from(pair).toString("base64")}`};
}

export interface PolicyGetOptions {
  policy: FetchPolicy;
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Until the answer's headers arrive. */
  timeoutMs: number;
}

/**
 * A GET whose every hop (the address and each redirect) is judged by the fetch policy, answered
 * with the final response's body unread. Credentials go only to the host that was given them.
 */
export async function policyGet(url: string, opts: PolicyGetOptions): Promise<{res: IncomingMessage; url: URL}> {
  let target = new URL(url);
  const origin = target.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    opts.policy.checkLiteral(target);
    // The time limit is for the headers only: the body of a station never ends.
    const controller = new AbortController();
    const abort = () => controller.abort();
    opts.signal.addEventListener("abort", abort, {once: true});
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    let res: IncomingMessage;
    try {
      res = await httpGetStream(target, {
        headers: {
          "User-Agent": "yoto-smart-stream",
          ...opts.headers,
          ...(target.origin === origin ? authHeader(target) : {}),
        },
        signal: controller.signal,
        lookup: opts.policy.lookupFor(target),
      });
    } catch (err) {
      opts.signal.removeEventListener("abort", abort);
      if (timedOut)
        throw new HttpRequestError("timeout", `${shownUrl(target)} did not answer within ${opts.timeoutMs / 1000} s`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    res.once("close", () => opts.signal.removeEventListener("abort", abort));
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.destroy();
      target = new URL(location, target);
      continue;
    }
    if (status < 200 || status >= 300) {
      res.destroy();
      throw new HttpRequestError("unreachable", `${shownUrl(target)} answered ${status}`);
    }
    return {res, url: target};
  }
  throw new HttpRequestError("unreachable", `${shownUrl(url)} redirects more than ${MAX_REDIRECTS} times`);
}

/** The body of an answer, at most `maxBytes` and within `timeoutMs`: a station file, a playlist. */
export function readBody(res: IncomingMessage, maxBytes: number, timeoutMs: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(() => fail(`${what} did not arrive within ${timeoutMs / 1000} s`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      res.destroy();
      reject(new HttpRequestError("timeout", why));
    };
    res.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        clearTimeout(timer);
        res.destroy();
        reject(new HttpRequestError("too_large", `${what} is larger than ${Math.round(maxBytes / 1024)} KB`));
      } else chunks.push(chunk);
    });
    res.on("error", (err) => fail(`${what} was cut off (${err.message})`));
    res.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks, length));
    });
  });
}
