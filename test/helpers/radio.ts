import http from "node:http";
import type {AddressInfo} from "node:net";
import type {RadioView, StreamChange, StreamView} from "../../src/shared/api/streams.js";
import type {TestApp} from "./app.js";

/** A stream's view from the admin API. */
export async function streamView(t: TestApp, name: string): Promise<StreamView & {radio: RadioView}> {
  const res = await fetch(`${t.adminUrl}/api/streams/${name}`);
  return (await res.json()) as StreamView & {radio: RadioView};
}

/** A change's answer, or an error's: tests read whichever the status says. */
type Answer = StreamChange & {stream: {radio: RadioView | null}; error: string};

/** PUT a stream's body; answers status and JSON. */
export async function putStream(t: TestApp, name: string, body: unknown): Promise<{status: number; body: Answer}> {
  const res = await fetch(`${t.adminUrl}/api/streams/${name}`, {
    method: "PUT",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return {status: res.status, body: (await res.json()) as Answer};
}

/** A player listening to a stream's signed MP3: counts what it receives until closed. */
export interface Listener {
  bytes(): number;
  received(): Buffer;
  close(): void;
}

export async function listen(t: TestApp, name: string, keep = false): Promise<Listener> {
  const {signedPath} = await streamView(t, name);
  const chunks: Buffer[] = [];
  let count = 0;
  const req = http.get(`${t.audioUrl}${signedPath}`);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once("response", resolve);
    req.once("error", reject);
  });
  if (res.statusCode !== 200) throw new Error(`the stream answered ${res.statusCode}`);
  res.on("data", (chunk: Buffer) => {
    count += chunk.length;
    if (keep) chunks.push(chunk);
  });
  res.on("error", () => undefined);
  return {bytes: () => count, received: () => Buffer.concat(chunks), close: () => req.destroy()};
}

/** A small HTTP server answering each request with `answer`; its URL, and a way to close it. */
export async function tinyServer(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void,
): Promise<{url: string; close(): Promise<void>; requests: () => number}> {
  let requests = 0;
  let base = "";
  const server = http.createServer((req, res) => {
    requests++;
    answer(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A station on loopback that sends `audio` round and round at `bytesPerSecond` (two seconds at
 * once, then a quarter second every 250 ms) as `type`, to every listener; `open()` counts the
 * connections open now (the service's upstreams).
 */
export async function loopStation(audio: Buffer, type: string, bytesPerSecond: number) {
  let open = 0;
  const station = await tinyServer((_req, res) => {
    open++;
    res.writeHead(200, {"Content-Type": type, "Cache-Control": "no-cache"});
    let at = 0;
    const send = (bytes: number) => {
      for (let left = bytes; left > 0; ) {
        const piece = audio.subarray(at, at + left);
        res.write(piece);
        at = (at + piece.length) % audio.length;
        left -= piece.length;
      }
    };
    send(bytesPerSecond * 2);
    const timer = setInterval(() => send(Math.ceil(bytesPerSecond / 4)), 250);
    res.once("close", () => {
      clearInterval(timer);
      open--;
    });
  });
  return {...station, open: () => open};
}

/** Whether bytes are MPEG audio frames (a frame sync with a valid layer III header). */
export function hasMp3Frames(bytes: Buffer): boolean {
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] === 0xff && ((bytes[i + 1] as number) & 0xe6) === 0xe2) return true;
  }
  return false;
}

/** A station's times shortened so the tests of its going down and coming back take seconds. */
export const FAST_RADIO = {
  lingerMs: 200,
  connectTimeoutMs: 500,
  stallMs: 500,
  silenceAfterMs: 300,
  downAfterMs: 600,
  downMessageEveryMs: 1000,
  firstBackoffMs: 50,
  maxBackoffMs: 200,
};
