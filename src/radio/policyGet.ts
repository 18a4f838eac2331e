import type {IncomingMessage} from "node:http";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {HttpRequestError, httpGetStream} from "../core/httpRequest.js";

const MAX_REDIRECTS = 5;

/** What judges each fetch a station makes: the fetch policy (guarded against this service's own listeners). */
export type StationPolicy = Pick<FetchPolicy, "checkLiteral" | "lookupFor">;

/**
 * A station's address as people may see it: never its user name or password, and never its query,
 * which is where stations put listener tokens (`?token=…`); it is shown as `?…`, so the family
 * still sees that the address has one.
 */
export function shownUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    u.username = "";
    u.password = "";
    const query = u.search;
    u.search = "";
    if (!query) return u.toString();
    const shown = u.toString();
    const hash = shown.indexOf("#");
    return hash === -1 ? `${shown}?…` : `${shown.slice(0, hash)}?…${shown.slice(hash)}`;
  } catch {
    return shownInText(String(url));
  }
}

/** Where a query quoted in text ends: a fragment, or a quote or bracket around the address. */
const QUERY_ENDS = new Set(["#", "'", '"', "<", ">", ")", "]"]);

/**
 * Any text that may quote a station's address (an error from a library, a line from a station
 * file): credentials and queries taken out of everything that looks like an address. One pass
 * over the words, so its time grows with the text's length only.
 */
export function shownInText(text: string): string {
  return text
    .split(/(\s+)/)
    .map((word) => {
      const scheme = word.indexOf("://");
      if (scheme === -1) return word;
      let out = word;
      const at = out.indexOf("@", scheme);
      const slash = out.indexOf("/", scheme + 3);
      if (at !== -1 && (slash === -1 || at < slash)) out = out.slice(0, scheme + 3) + out.slice(at + 1);
      const query = out.indexOf("?", scheme);
      if (query === -1) return out;
      let end = query + 1;
      while (end < out.length && !QUERY_ENDS.has(out[end] as string)) end++;
      return `${out.slice(0, query)}?…${out.slice(end)}`;
    })
    .join("");
}

/** Basic auth for a URL that carries credentials: node:http sends none of its own from a URL object. */
function authHeader(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return {Authorization: `Basic ${Buffer.from(pair).toString("base64")}`};
}

export interface PolicyGetOptions {
  policy: StationPolicy;
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
