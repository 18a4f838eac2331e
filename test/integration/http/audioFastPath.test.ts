import http from "node:http";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let signedUrl: string;

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "tone.mp3"), {seconds: 3, title: "Tone"});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir, audioRateLimit: {burst: 1000, perSecond: 1000}});
  const item = t.app.library.list().items[0]!;
  signedUrl = `${t.audioUrl}${t.app.links.signed(t.app.links.itemPath(item))}`;
});

afterAll(async () => {
  await t?.stop();
});

interface Answer {
  status: number;
  /** Header lines as sent, names as written, in order (the connection's own left out). */
  headers: string[];
  body: Buffer;
}

function ask(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, {headers}, (res) => {
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
      .on("error", reject);
  });
}

// A condition that holds changes nothing in the answer, but only the full path decides conditions:
// asked with it and without, the same request goes both ways.
const VIA_FULL_PATH = {"If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"};

describe("library audio answered before the framework", () => {
  it("answers ranges, whole files and If-Range exactly as the full path does: status, headers in order, bytes", async () => {
    const whole = await ask(signedUrl, {});
    const etag = whole.headers.find((h) => h.startsWith("etag: "))!.slice("etag: ".length);
    const cases: Array<Record<string, string>> = [
      {},
      {Range: "bytes=1000-4999"},
      {Range: "bytes=-500"},
      {Range: "bytes=0-"},
      {Range: "bytes=100-200", "If-Range": etag},
      {Range: "bytes=100-200", "If-Range": '"stale-etag"'},
      {Range: "bytes=5-1,zz"},
    ];
    for (const headers of cases) {
      const fast = await ask(signedUrl, headers);
      const full = await ask(signedUrl, {...headers, ...VIA_FULL_PATH});
      expect(fast.status, JSON.stringify(headers)).toBe(full.status);
      expect(fast.headers, JSON.stringify(headers)).toEqual(full.headers);
      expect(fast.body.equals(full.body), JSON.stringify(headers)).toBe(true);
    }
    const range = await ask(signedUrl, {Range: "bytes=1000-4999"});
    expect(range.status).toBe(206);
    expect(range.headers).toEqual([
      "access-control-allow-origin: *",
      "access-control-expose-headers: Accept-Ranges, Content-Length, Content-Range, ETag",
      "accept-ranges: bytes",
      `etag: ${etag}`,
      expect.stringMatching(/^last-modified: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/),
      "content-type: audio/mpeg",
      expect.stringMatching(/^content-range: bytes 1000-4999\/\d+$/),
      "content-length: 4000",
    ]);
    expect(range.body).toEqual(whole.body.subarray(1000, 5000));
  });

  it("leaves what it does not take to the full path: a bad signature, past the end, a condition", async () => {
    const unsigned = await ask(signedUrl.replace(/sig=[^&]+/, "sig=nope"), {Range: "bytes=0-9"});
    expect(unsigned.status).toBe(404);
    expect(JSON.parse(unsigned.body.toString())).toEqual({error: "Not found", code: "not_found"});
    const past = await ask(signedUrl, {Range: "bytes=99999999-"});
    expect(past.status).toBe(416);
    expect(past.headers).toContainEqual(expect.stringMatching(/^Content-Range: bytes \*\/\d+$/));
    const whole = await ask(signedUrl, {});
    const etag = whole.headers.find((h) => h.startsWith("etag: "))!.slice("etag: ".length);
    expect((await ask(signedUrl, {"If-None-Match": etag})).status).toBe(304);
  });
});

describe("the rate limit on the fast path", () => {
  it("counts signed range requests like any other, and answers 429 with Retry-After past the burst", async () => {
    const root = await tempDir();
    const mediaDir = path.join(root, "media");
    await makeTone(path.join(mediaDir, "tone.mp3"), {seconds: 1});
    const limited = await startApp([], {
      dataDir: path.join(root, "data"),
      mediaDir,
      audioRateLimit: {burst: 3, perSecond: 0.5},
    });
    try {
      const item = limited.app.library.list().items[0]!;
      const url = `${limited.audioUrl}${limited.app.links.signed(limited.app.links.itemPath(item))}`;
      const answers: Answer[] = [];
      for (let i = 0; i < 4; i++) answers.push(await ask(url, {Range: "bytes=0-99"}));
      expect(answers.map((a) => a.status)).toEqual([206, 206, 206, 429]);
      expect(answers[3]!.headers).toContain("Retry-After: 2");
      expect(JSON.parse(answers[3]!.body.toString())).toEqual({
        error: "Too many requests from this address; slow down and retry",
        code: "rate_limited",
      });
    } finally {
      await limited.stop();
    }
  });
});
