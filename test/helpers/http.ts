import {randomInt} from "node:crypto";
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A plain HTTP/1.1 request with exactly the headers given (fetch adds its own, e.g. Cache-Control
 * on conditional requests) and an optional loopback source address, so the server sees that peer.
 */
export function rawRequest(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    localAddress?: string;
    body?: Buffer | string;
    agent?: http.Agent;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {method: opts.method ?? "GET", headers: opts.headers, localAddress: opts.localAddress, agent: opts.agent},
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}));
        // A body cut short by the server never ends: report it instead of waiting forever.
        res.on("error", () => undefined);
        res.on("close", () => {
          if (!res.complete) reject(new Error(`connection cut after ${Buffer.concat(chunks).length} bytes`));
        });
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** A JSON response body, loosely typed: tests assert on its shape. */
// biome-ignore lint/suspicious/noExplicitAny: response shapes are what the assertions check
export const jsonOf = (res: Response): Promise<any> => res.json();

/** One admin API call with a JSON (or raw Buffer) body; the answer's status and parsed JSON (`{}` for 204). */
export async function call(method: string, url: string, body?: unknown, type = "application/json") {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : {"Content-Type": type},
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return {status: res.status, body: res.status === 204 ? {} : await jsonOf(res)};
}

/** `count` clients that each fetch `url` and hang up after a random number of bytes (up to `maxBytes`). */
export async function clientsLeavingAtRandom(url: string, count: number, maxBytes: number): Promise<void> {
  await Promise.all(
    Array.from(
      {length: count},
      () =>
        new Promise<void>((resolve) => {
          const stopAfter = randomInt(1, maxBytes);
          const req = http.get(url, (res) => {
            let size = 0;
            res.on("data", (c: Buffer) => {
              size += c.length;
              if (size >= stopAfter) {
                res.destroy();
                resolve();
              }
            });
            res.on("end", () => resolve());
          });
          req.on("error", () => resolve());
        }),
    ),
  );
}
