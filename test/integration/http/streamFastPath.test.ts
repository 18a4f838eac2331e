import http from "node:http";
import path from "node:path";
import Koa from "koa";
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from "vitest";
import type {StreamRequest} from "../../../src/streams/types.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let ids: string[];
const requested: StreamRequest[] = [];

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "a.mp3"), {seconds: 2, frequency: 330});
  await makeTone(path.join(mediaDir, "b.mp3"), {seconds: 2, frequency: 440});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir, audioRateLimit: {burst: 1000, perSecond: 1000}});
  ids = t.app.library
    .list()
    .items.sort((x, y) => x.relPath.localeCompare(y.relPath))
    .map((item) => item.id);
  t.app.bus.on(requested, "stream.requested", (r) => {
    requested.push(r);
  });
});

afterAll(async () => {
  await t?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const streamUrl = (name: string) => `${t.audioUrl}${t.app.links.signed(`/streams/${name}.mp3`)}`;

interface Answer {
  status: number;
  /** Header lines as sent, names as written, in order (the connection's own left out). */
  headers: string[];
  body: Buffer;
}

function ask(url: string, headers: Record<string, string>, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .request(url, {method, headers}, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const lines: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i] as string;
            if (!["date", "connection", "keep-alive"].includes(name.toLowerCase()))
              lines.push(`${name}: ${res.rawHeaders[i + 1]}`);
          }
          resolve({status: res.statusCode ?? 0, headers: lines, body: Buffer.concat(chunks)});
        });
      })
      .on("error", reject)
      .end();
  });
}

// A condition that holds changes nothing in the answer, but only the full path decides conditions:
// asked with it and without, the same request goes both ways.
const VIA_FULL_PATH = {"If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"};

/** Requests the framework (Koa) saw: each makes one context. */
function framework(): {seen: () => number} {
  const spy = vi.spyOn(Koa.prototype, "createContext");
  return {seen: () => spy.mock.calls.length};
}

describe("stream ranges answered before the framework", () => {
  it("answers ranges (across files too), whole streams and If-Range exactly as the full path does", async () => {
    await t.app.streams.replace("seek", ids, "once");
    const url = streamUrl("seek");
    const whole = await ask(url, VIA_FULL_PATH);
    const etag = whole.headers.find((h) => h.startsWith("etag: "))!.slice("etag: ".length);
    const firstFile = t.app.streams.snapshot("seek").then((s) => s.segments[0]!.end - s.segments[0]!.start + 1);
    const boundary = await firstFile;
    expect(boundary).toBeLessThan(whole.body.length);
    const cases: Array<Record<string, string>> = [
      {},
      {Range: "bytes=1000-4999"},
      {Range: `bytes=${boundary - 3000}-${boundary + 2999}`},
      {Range: "bytes=-500"},
      {Range: "bytes=0-"},
      {Range: "bytes=100-200", "If-Range": etag},
      {Range: "bytes=100-200", "If-Range": '"stale-etag"'},
      {Range: "bytes=5-1,zz"},
    ];
    for (const headers of cases) {
      const koa = framework();
      const fast = await ask(url, headers);
      expect(koa.seen(), `${JSON.stringify(headers)} went through the framework`).toBe(0);
      const full = await ask(url, {...headers, ...VIA_FULL_PATH});
      expect(koa.seen(), JSON.stringify(headers)).toBe(1);
      vi.restoreAllMocks();
      expect(fast.status, JSON.stringify(headers)).toBe(full.status);
      expect(fast.headers, JSON.stringify(headers)).toEqual(full.headers);
      expect(fast.body.equals(full.body), JSON.stringify(headers)).toBe(true);
    }
    const across = await ask(url, {Range: `bytes=${boundary - 3000}-${boundary + 2999}`});
    expect(across.status).toBe(206);
    expect(across.headers).toEqual([
      "access-control-allow-origin: *",
      "access-control-expose-headers: Accept-Ranges, Content-Length, Content-Range, ETag",
      "accept-ranges: bytes",
      `etag: ${etag}`,
      "content-type: audio/mpeg",
      `content-range: bytes ${boundary - 3000}-${boundary + 2999}/${whole.body.length}`,
      "content-length: 6000",
    ]);
    expect(across.body).toEqual(whole.body.subarray(boundary - 3000, boundary + 3000));
  });

  it("logs a request as the full path does, and folds a seeking player's ranges into it", async () => {
    await t.app.streams.replace("fast", ids, "once");
    await t.app.streams.replace("full", ids, "once");
    requested.length = 0;
    const range = {Range: "bytes=2000-2999", "User-Agent": "test-player/1"};
    await ask(streamUrl("fast"), range);
    await ask(streamUrl("full"), {...range, ...VIA_FULL_PATH});
    expect(requested).toHaveLength(2);
    const [fast, full] = requested as [StreamRequest, StreamRequest];
    const same = (r: StreamRequest) => ({...r, at: undefined, stream: undefined, version: undefined});
    expect(same(fast)).toEqual(same(full));
    expect(fast).toMatchObject({
      stream: "fast",
      client: "127.0.0.1",
      userAgent: "test-player/1",
      method: "GET",
      range: "bytes=2000-2999",
      status: 206,
      items: ids,
      bytes: 1000,
    });
    await ask(streamUrl("fast"), {...range, Range: "bytes=3000-3999"});
    expect(requested).toHaveLength(2);
    expect(t.app.streams.requests("fast")).toEqual([
      expect.objectContaining({stream: "fast", followingRanges: 1, bytes: 2000}),
    ]);
  });

  it("leaves the rest to the full path: unknown, unsigned, past the end, conditional, HEAD, looping, empty", async () => {
    await t.app.streams.replace("edge", ids, "once");
    const url = streamUrl("edge");
    const koa = framework();
    expect((await ask(streamUrl("nowhere"), {Range: "bytes=0-9"})).status).toBe(404);
    expect((await ask(url.replace(/sig=[^&]+/, "sig=nope"), {Range: "bytes=0-9"})).status).toBe(404);
    const past = await ask(url, {Range: "bytes=99999999-"});
    expect(past.status).toBe(416);
    expect(past.headers).toContainEqual(expect.stringMatching(/^Content-Range: bytes \*\/\d+$/));
    const etag = (await ask(url, {Range: "bytes=0-0"})).headers.find((h) => h.startsWith("etag: "))!.slice(6);
    expect((await ask(url, {"If-None-Match": etag})).status).toBe(304);
    const head = await ask(url, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    await t.app.streams.replace("loop", ids, "loop");
    const looping = await new Promise<{status: number; ranges: string | undefined}>((resolve, reject) => {
      http
        .get(streamUrl("loop"), {headers: {Range: "bytes=0-9"}}, (res) => {
          resolve({status: res.statusCode ?? 0, ranges: res.headers["accept-ranges"]});
          res.destroy();
        })
        .on("error", reject);
    });
    expect(looping).toEqual({status: 200, ranges: "none"});
    await t.app.streams.replace("quiet", [], "once");
    const silence = await ask(streamUrl("quiet"), {Range: "bytes=0-9"});
    expect(silence.status).toBe(206);
    expect(silence.headers).toContain('etag: "s-silence"');
    // All seven answered by the framework, as before (the one plain range above excepted).
    expect(koa.seen()).toBe(7);
  });
});
