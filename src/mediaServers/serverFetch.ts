import http, {type IncomingMessage} from "node:http";
import https from "node:https";
import {HttpRequestError} from "../core/httpRequest.js";
import {type ServerGuard, ServerRefused} from "./serverGuard.js";

/**
 * The fetches made for one media server. Media servers live on the home network, which the
 * service's fetch policy keeps feeds and announcements out of; rather than open the home network
 * to those, each server's fetches may go only to that server's own host and port (where its
 * description came from), redirects included. Nothing about a server widens what anything else
 * may fetch.
 */
export interface ServerAccess {
  /** The description's address: every request and redirect stays on its scheme, host and port. */
  origin: URL;
  /** This service's own listeners, link-local addresses, fetch_allow's exceptions (ServerGuard). */
  guard?: ServerGuard;
}

export interface ServerFetchOptions {
  server: ServerAccess;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** The access for a server whose description is at `url`. */
export function serverAccess(url: string | URL, guard?: ServerGuard): ServerAccess {
  return {origin: new URL(url), guard};
}

/** Throws when `target` is not to be fetched for `server` (before resolving its name). */
export function checkServerUrl(target: URL, server: ServerAccess): void {
  if (target.protocol !== "http:" && target.protocol !== "https:")
    throw new HttpRequestError("refused", `${target.protocol} addresses are not fetched from a media server`);
  const {origin, guard} = server;
  if (!sameHost(target, origin.hostname))
    throw new HttpRequestError(
      "refused",
      `the media server at ${origin.hostname} pointed at another host (${target.host}); only its own host is fetched from`,
    );
  if (guard) guard.check(target, origin);
  else if (target.origin !== origin.origin)
    throw new ServerRefused(
      `${target} is not where the media server at ${origin.host} was found: a media server is fetched from only at the address and port it was added or found with`,
    );
}

const MAX_REDIRECTS = 3;

export function sameHost(url: URL, host: string): boolean {
  return url.hostname.toLowerCase() === host.toLowerCase();
}

/**
 * An address a server wrote, on the server's own `host`: its port and path are the server's, but
 * fetching only ever goes to the host the family gave or discovery found. Servers with several
 * network interfaces name the one they guess (MiniDLNA answers on 127.0.0.1 with links to its LAN
 * address), and one that finds no interface to name (MiniDLNA with no MAC address: a container, a
 * NAS that answers oddly) writes no host at all, `http://:8200/MediaItems/23.mp3`, which no URL
 * parser takes. Relative addresses resolve against `base`. Null for anything but http(s).
 */
export function onServerHost(url: string, host: string, base?: string): URL | null {
  try {
    const withHost = (text: string) => text.trim().replace(/^(https?:\/\/)(?=[:/?#]|$)/i, "$1server.invalid");
    const u = new URL(withHost(url), base === undefined ? undefined : withHost(base));
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    u.hostname = host;
    // The setter ignores what is not a host name (a bare IPv6 address, host:port): never a guess.
    if (u.hostname !== host.toLowerCase()) return null;
    return u;
  } catch {
    return null;
  }
}

/** One request, its body unread; redirects followed on the same host only. */
export async function serverRequest(
  url: string,
  opts: ServerFetchOptions & {method?: string; headers?: Record<string, string>; body?: string},
): Promise<IncomingMessage> {
  let target = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    checkServerUrl(target, opts.server);
    const res = await once(target, opts);
    const location = res.headers.location;
    if ((res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400 && location) {
      res.destroy();
      target = new URL(location, target);
      continue;
    }
    return res;
  }
  throw new HttpRequestError("unreachable", `the media server redirects more than ${MAX_REDIRECTS} times`);
}

function once(
  target: URL,
  opts: ServerFetchOptions & {method?: string; headers?: Record<string, string>; body?: string},
): Promise<IncomingMessage> {
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new HttpRequestError("timeout", `no answer within ${Math.round(opts.timeoutMs / 1000)} s`));
    }, opts.timeoutMs);
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body, "utf8");
    const req = client.request(target, {
      method: opts.method ?? "GET",
      headers: {
        "User-Agent": "yoto-smart-stream",
        ...opts.headers,
        ...(body ? {"Content-Length": String(body.length)} : {}),
      },
      signal: opts.signal,
      // A name is judged again on the address it resolves to (this machine's own ports, link-local).
      ...(opts.server.guard ? {lookup: opts.server.guard.lookupFor(target, opts.server.origin)} : {}),
    });
    req.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err instanceof ServerRefused) return reject(err);
      reject(
        new HttpRequestError(
          "unreachable",
          err.code === "ECONNREFUSED"
            ? `connection refused by ${target.host}`
            : err.code === "ABORT_ERR"
              ? "the service is stopping"
              : err.message,
        ),
      );
    });
    req.once("response", (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.end(body);
  });
}

/** A whole answer, at most `maxBytes`, within the time limit. */
export async function serverText(
  url: string,
  opts: ServerFetchOptions & {method?: string; headers?: Record<string, string>; body?: string; maxBytes: number},
): Promise<{status: number; text: string}> {
  const res = await serverRequest(url, opts);
  const chunks: Buffer[] = [];
  let length = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      res.destroy();
      reject(
        new HttpRequestError("timeout", `the answer did not arrive within ${Math.round(opts.timeoutMs / 1000)} s`),
      );
    }, opts.timeoutMs);
    res.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > opts.maxBytes) {
        clearTimeout(timer);
        res.destroy();
        reject(
          new HttpRequestError("too_large", `the answer is larger than ${Math.round(opts.maxBytes / 1024 / 1024)} MB`),
        );
      } else chunks.push(chunk);
    });
    res.on("error", (err) => {
      clearTimeout(timer);
      reject(new HttpRequestError("unreachable", `the answer was cut off (${err.message})`));
    });
    res.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {status: res.statusCode ?? 0, text: Buffer.concat(chunks, length).toString("utf8")};
}
