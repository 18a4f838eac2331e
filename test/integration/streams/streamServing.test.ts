import {randomInt} from "node:crypto";
import {readFile, rm, writeFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {StreamRequest} from "../../../src/streams/types.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {decodeErrors, makeTone} from "../../helpers/audio.js";
import {openFilesUnder} from "../../helpers/fds.js";
import {clientsLeavingAtRandom, jsonOf, rawRequest} from "../../helpers/http.js";
import {walkFrames} from "../../helpers/mp3Frames.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let ids: string[];
const requested: StreamRequest[] = [];

/** Three sources at different rates and layouts, made uniform by the upload normaliser. */
beforeAll(async () => {
  t = await startApp([], {audioRateLimit: {burst: 100_000, perSecond: 100_000}});
  const src = await tempDir();
  const sources = [
    await makeTone(path.join(src, "one.mp3"), {
      seconds: 3,
      sampleRate: 22050,
      channels: 1,
      bitrate: "64k",
      frequency: 330,
    }),
    await makeTone(path.join(src, "two.mp3"), {
      seconds: 2,
      sampleRate: 48000,
      channels: 2,
      bitrate: "192k",
      frequency: 440,
    }),
    await makeTone(path.join(src, "three.wav"), {seconds: 2, sampleRate: 44100, channels: 2, frequency: 550}),
  ];
  ids = [];
  for (const file of sources) {
    const res = await fetch(`${t.adminUrl}/api/library/uploads?filename=${path.basename(file)}`, {
      method: "POST",
      body: await readFile(file),
    });
    expect(res.status).toBe(201);
    ids.push((await jsonOf(res)).id);
  }
  t.app.bus.on(requested, "stream.requested", (r) => {
    requested.push(r);
  });
});
afterAll(async () => {
  await t?.stop();
});

const api = (p: string, method = "GET", body?: unknown) =>
  fetch(`${t.adminUrl}/api/streams${p}`, {
    method,
    headers: body === undefined ? {} : {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const streamUrl = (name: string) => `${t.audioUrl}${t.app.links.signed(`/streams/${name}.mp3`)}`;

async function makeStream(name: string, items: string[], mode = "once") {
  const res = await api(`/${name}`, "PUT", {items, mode});
  expect(res.status).toBe(200);
  return jsonOf(res);
}

describe("GET /streams/<name>.mp3", () => {
  it("joins the queue into one clean MP3 that ffmpeg decodes without errors", async () => {
    await makeStream("bedtime", ids);
    const res = await fetch(streamUrl("bedtime"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("content-length")).toBe(String(body.length));
    // Every byte is part of a frame, end to end: no ID3 tag, no Info/Xing frame at any boundary.
    const walk = walkFrames(body);
    expect(walk).toMatchObject({brokeAt: -1, infoFrames: []});
    expect([...walk.sampleRates]).toEqual([44100]);
    for (const marker of ["ID3", "Xing", "Info"]) expect(body.includes(marker), marker).toBe(false);
    const file = path.join(await tempDir(), "joined.mp3");
    await writeFile(file, body);
    expect(await decodeErrors(file)).toBe("");
    const snap = await t.app.streams.snapshot("bedtime");
    expect(snap.segments).toHaveLength(3);
    expect(body.length).toBe(snap.size);
  });

  it("answers every byte range with exactly that slice of the whole (random ranges)", async () => {
    await makeStream("ranges", ids);
    const url = streamUrl("ranges");
    const full = Buffer.from(await (await fetch(url)).arrayBuffer());
    const snap = await t.app.streams.snapshot("ranges");
    const firstLen = snap.segments[0]!.end - snap.segments[0]!.start + 1;
    const secondLen = snap.segments[1]!.end - snap.segments[1]!.start + 1;
    const ranges: Array<[number, number]> = [
      [firstLen - 10, firstLen + secondLen + 10], // spans all three files
      [0, 0],
      [full.length - 1, full.length - 1],
      [firstLen - 1, firstLen],
    ];
    for (let i = 0; i < 150; i++) {
      const a = randomInt(full.length);
      ranges.push([a, Math.min(full.length - 1, a + randomInt(1, 200_000))]);
    }
    for (const [start, end] of ranges) {
      const res = await rawRequest(url, {headers: {Range: `bytes=${start}-${end}`}});
      expect(res.status).toBe(206);
      expect(res.headers["content-range"]).toBe(`bytes ${start}-${end}/${full.length}`);
      expect(res.body.equals(full.subarray(start, end + 1)), `bytes=${start}-${end}`).toBe(true);
    }
    const suffix = await rawRequest(url, {headers: {Range: "bytes=-1000"}});
    expect(suffix.body.equals(full.subarray(full.length - 1000))).toBe(true);
    expect((await rawRequest(url, {headers: {Range: `bytes=${full.length}-`}})).status).toBe(416);
  });

  it("gives HEAD the same headers as GET", async () => {
    await makeStream("heads", ids);
    const [head, get] = await Promise.all([
      rawRequest(streamUrl("heads"), {method: "HEAD"}),
      rawRequest(streamUrl("heads")),
    ]);
    for (const h of ["content-type", "content-length", "etag", "accept-ranges"])
      expect(head.headers[h], h).toBe(get.headers[h]);
    expect(head.body.length).toBe(0);
  });

  it("changes the ETag with the queue, and a stale If-Range gets the whole new version", async () => {
    await makeStream("versions", ids);
    const url = streamUrl("versions");
    const oldEtag = (await rawRequest(url, {method: "HEAD"})).headers.etag as string;
    await api("/versions/queue/0", "DELETE");
    const fresh = await rawRequest(url);
    expect(fresh.headers.etag).not.toBe(oldEtag);
    const resumed = await rawRequest(url, {headers: {Range: "bytes=1000-", "If-Range": oldEtag}});
    expect(resumed.status).toBe(200);
    expect(resumed.body.equals(fresh.body)).toBe(true);
  });

  it("changes the ETag when a file is replaced in place, even with the same length", async () => {
    await makeStream("inplace", [ids[2]!]);
    const url = streamUrl("inplace");
    const before = await rawRequest(url);
    const entry = t.app.library.resolve(ids[2]!);
    const original = await readFile(entry.absPath);
    const altered = Buffer.from(original);
    altered[altered.length - 200] = (altered[altered.length - 200] as number) ^ 0xff;
    await writeFile(entry.absPath, altered);
    await t.app.library.scan();
    try {
      const after = await rawRequest(url);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const resumed = await rawRequest(url, {
        headers: {Range: "bytes=100-", "If-Range": before.headers.etag as string},
      });
      expect(resumed.status).toBe(200);
    } finally {
      await writeFile(entry.absPath, original);
      await t.app.library.scan();
    }
  });

  it("keeps serving a download its snapshot even when the queue changes mid-way", async () => {
    await makeStream("slow", ids);
    const url = streamUrl("slow");
    const expected = (await rawRequest(url)).body;
    const got = await new Promise<Buffer>((resolve, reject) => {
      http.get(url, (res) => {
        const chunks: Buffer[] = [];
        res.once("data", (first: Buffer) => {
          chunks.push(first);
          res.pause();
          api("/slow", "PUT", {items: [ids[2]]})
            .then(() => {
              res.on("data", (c: Buffer) => chunks.push(c));
              res.on("end", () => resolve(Buffer.concat(chunks)));
              res.resume();
            })
            .catch(reject);
        });
      });
    });
    expect(got.equals(expected)).toBe(true);
    expect((await rawRequest(url)).body.length).toBeLessThan(expected.length);
  });

  it("records each request and announces it as stream.requested", async () => {
    await makeStream("recorded", ids);
    await rawRequest(streamUrl("recorded"), {headers: {"User-Agent": "Yoto-Player/1.0", Range: "bytes=0-99"}});
    const event = requested.find((r) => r.stream === "recorded");
    expect(event).toMatchObject({
      stream: "recorded",
      client: "127.0.0.1",
      userAgent: "Yoto-Player/1.0",
      method: "GET",
      range: "bytes=0-99",
      status: 206,
      mode: "once",
      items: ids,
      bytes: 100,
    });
    const log = await jsonOf(await api("/recorded/requests"));
    expect(log.requests).toEqual([expect.objectContaining({stream: "recorded", status: 206})]);
  });

  it("folds a seeking player's range requests into the request they follow: one event, counted ranges", async () => {
    await makeStream("seeking", ids);
    const player = {"User-Agent": "Yoto-Player/2.0"};
    await rawRequest(streamUrl("seeking"), {headers: {...player, Range: "bytes=0-"}});
    for (const start of [5000, 100, 20_000]) {
      await rawRequest(streamUrl("seeking"), {headers: {...player, Range: `bytes=${start}-${start + 999}`}});
    }
    // Another client, and a request without a range, are requests of their own.
    await rawRequest(streamUrl("seeking"), {headers: {"User-Agent": "curl/8", Range: "bytes=0-9"}});
    await rawRequest(streamUrl("seeking"), {headers: player});
    const events = requested.filter((r) => r.stream === "seeking");
    expect(events.map((e) => [e.userAgent, e.range])).toEqual([
      ["Yoto-Player/2.0", "bytes=0-"],
      ["curl/8", "bytes=0-9"],
      ["Yoto-Player/2.0", undefined],
    ]);
    const log = (await jsonOf(await api("/seeking/requests"))).requests;
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({followingRanges: 3, bytes: events[0]!.bytes! + 3000, lastAt: expect.any(String)});
    expect(log[1].followingRanges).toBeUndefined();
  });

  it("skips a file that went missing, with a warning, and plays silence for an empty queue", async () => {
    await makeStream("gaps", ids);
    const whole = (await rawRequest(streamUrl("gaps"))).body.length;
    const entry = t.app.library.resolve(ids[0]!);
    const kept = await readFile(entry.absPath);
    await rm(entry.absPath);
    try {
      // Requests within a second share a snapshot; this one comes after that window.
      await new Promise((r) => setTimeout(r, 1100));
      const res = await rawRequest(streamUrl("gaps"));
      expect(res.status).toBe(200);
      expect(res.body.length).toBeLessThan(whole);
      expect(walkFrames(res.body).brokeAt).toBe(-1);
      expect(t.logs.some((l) => l.includes("WARNING (streams): Stream 'gaps': skipping 'one.mp3'"))).toBe(true);
    } finally {
      await writeFile(entry.absPath, kept);
    }

    await makeStream("empty", []);
    for (const mode of ["once", "loop"]) {
      await api("/empty/mode", "PUT", {mode});
      const silent = await rawRequest(streamUrl("empty"));
      expect(silent.status).toBe(200);
      expect(silent.headers["content-length"]).toBe(String(silent.body.length));
      const file = path.join(await tempDir(), "silence.mp3");
      await writeFile(file, silent.body);
      expect(await decodeErrors(file)).toBe("");
    }
  });
});

describe("a short file vanishing after its snapshot", () => {
  it("still plays the snapshot it was measured in, from memory; once the library notices, what is left", async () => {
    await makeStream("vanish", ids);
    const url = streamUrl("vanish");
    const whole = await rawRequest(url);
    const entry = t.app.library.resolve(ids[1]!);
    const kept = await readFile(entry.absPath);
    await rm(entry.absPath);
    try {
      // Within the snapshot's second: the same audio, whole and clean, not a half-read file.
      const same = await rawRequest(url);
      expect(same.status).toBe(200);
      expect(same.body.equals(whole.body)).toBe(true);
      await t.app.library.scan();
      const after = await rawRequest(url);
      expect(after.status).toBe(200);
      expect(after.body.length).toBeLessThan(whole.body.length);
      expect(walkFrames(after.body).brokeAt).toBe(-1);
    } finally {
      await writeFile(entry.absPath, kept);
      await t.app.library.scan();
    }
  });
});

describe("looping streams", () => {
  it("play pass after pass with no length until the client leaves", async () => {
    await makeStream("forever", ids, "loop");
    const once = (await t.app.streams.snapshot("forever")).size;
    const got = await new Promise<{headers: http.IncomingHttpHeaders; body: Buffer}>((resolve) => {
      http.get(streamUrl("forever"), (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (size > once * 2 + 1000) {
            res.destroy();
            resolve({headers: res.headers, body: Buffer.concat(chunks)});
          }
        });
      });
    });
    expect(got.headers["content-length"]).toBeUndefined();
    expect(got.headers["accept-ranges"]).toBe("none");
    expect(got.body.subarray(once, once * 2).equals(got.body.subarray(0, once))).toBe(true);
    expect(walkFrames(got.body.subarray(0, once * 2)).brokeAt).toBe(-1);
  });

  it("reshuffles each pass in shuffle_loop", async () => {
    await api("/mixed", "PUT", {items: [...ids, ...ids, ...ids], mode: "shuffle_loop"});
    const snap = await t.app.streams.snapshot("mixed");
    const passes = [0, 1, 2, 3].map((n) =>
      snap
        .cycle(n)
        .map((s) => s.file)
        .join("|"),
    );
    expect(new Set(passes).size).toBeGreaterThan(1);
  });

  it("leaves no open files after 50 clients disconnect at random points", async () => {
    await makeStream("crowd", ids, "loop");
    const url = streamUrl("crowd");
    await clientsLeavingAtRandom(url, 50, 400_000);
    // No file is held per client: each is open once at most, shared, and none is in use.
    await expect.poll(() => t.app.files.health().details.inUse, {timeout: 5000}).toBe(0);
    const open = await openFilesUnder(path.join(t.dataDir, "uploads"));
    expect(open.length).toBe(new Set(open).size);
    expect(open.length).toBeLessThanOrEqual(ids.length);
  });
});
