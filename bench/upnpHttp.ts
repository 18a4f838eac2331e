import http from "node:http";
import type {AddressInfo} from "node:net";

/**
 * A control point of plain HTTP, as the renderer bench needs one: SOAP calls, and GENA events on a
 * callback server on 127.0.0.1 (the renderers take callbacks on the subscriber's own address only).
 * No UPnP library: the bench times the renderer, not a client's parsing.
 */

const SERVICE_TYPE = (service: string) => `urn:schemas-upnp-org:service:${service}:1`;

/** One NOTIFY as it arrived: which subscriber's path, when (performance.now()), and its body, unescaped once. */
export interface Notified {
  key: string;
  at: number;
  seq: number;
  body: string;
}

/** A SOAP action on `<base>/upnp/<player>/<service>/control`; its response body, or an error with the fault. */
export async function soap(
  base: string,
  player: string,
  service: string,
  action: string,
  args: Record<string, string>,
): Promise<string> {
  const inner = Object.entries(args)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("");
  const body = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${SERVICE_TYPE(service)}">${inner}</u:${action}></s:Body></s:Envelope>`;
  const res = await fetch(`${base}/upnp/${player}/${service}/control`, {
    method: "POST",
    headers: {"Content-Type": 'text/xml; charset="utf-8"', SOAPACTION: `"${SERVICE_TYPE(service)}#${action}"`},
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`bench: ${service} ${action} answered ${res.status}: ${text}`);
  return text;
}

/** The text of `<name>` in a SOAP response. */
export function soapValue(response: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(response)?.[1];
}

/** A callback server for GENA events: every NOTIFY recorded and handed to whoever waits for one like it. */
export class EventSink {
  readonly received: Notified[] = [];
  readonly #waiting = new Set<{match: (n: Notified) => boolean; resolve: (n: Notified) => void}>();
  readonly #server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // Timed when the whole event has arrived, before it is answered: what a control point reads.
      const n: Notified = {
        key: (req.url ?? "/").slice(1),
        at: performance.now(),
        seq: Number(req.headers.seq),
        body: unescapeXml(Buffer.concat(chunks).toString("utf8")),
      };
      res.writeHead(req.method === "NOTIFY" ? 200 : 405).end();
      if (req.method !== "NOTIFY") return;
      this.received.push(n);
      for (const w of this.#waiting)
        if (w.match(n)) {
          this.#waiting.delete(w);
          w.resolve(n);
        }
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  callback(key: string): string {
    return `<http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/${key}>`;
  }

  /** The first event from now on that `match` takes (one already received is not looked at). */
  next(match: (n: Notified) => boolean, what: string, timeoutMs = 10_000): Promise<Notified> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(waiter);
        reject(new Error(`bench: no NOTIFY with ${what} in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (n: Notified) => {
          clearTimeout(timer);
          resolve(n);
        },
      };
      this.#waiting.add(waiter);
    });
  }

  /** Once no event has come under `key` for `ms` (a renderer's events are moderated: the next waits out the last). */
  async quiet(key: string, ms: number): Promise<void> {
    for (;;) {
      const last = this.received.findLast((n) => n.key === key)?.at ?? 0;
      const left = ms - (performance.now() - last);
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** SUBSCRIBE to a renderer's service with events to `sink` under `key`; its SID. */
export async function subscribe(
  base: string,
  player: string,
  service: string,
  sink: EventSink,
  key: string,
): Promise<string> {
  const res = await request(`${base}/upnp/${player}/${service}/event`, "SUBSCRIBE", {
    CALLBACK: sink.callback(key),
    NT: "upnp:event",
    TIMEOUT: "Second-1800",
  });
  const sid = res.headers.sid;
  if (res.status !== 200 || typeof sid !== "string")
    throw new Error(`bench: SUBSCRIBE to ${service} answered ${res.status}: ${res.body}`);
  return sid;
}

/** fetch() sends only the methods it knows: SUBSCRIBE goes through http.request. */
function request(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{status: number; headers: http.IncomingHttpHeaders; body: string}> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method, headers}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8")}),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The MP3 on a loopback web server at /song.mp3 (with its length), as a NAS hands one out. */
export async function audioHost(bytes: Buffer): Promise<{url: string; stop(): Promise<void>}> {
  const server = http.createServer((req, res) => {
    if (req.url !== "/song.mp3") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": bytes.length});
    res.end(req.method === "HEAD" ? undefined : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/song.mp3`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
