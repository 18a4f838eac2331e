import {createHash} from "node:crypto";
import {setTimeout as sleep} from "node:timers/promises";
import {PNG} from "pngjs";
import {afterEach, describe, expect, it} from "vitest";
import {expiredSignedLink} from "../../../src/sim/signing.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const DENIED = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>`;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** 125 MPEG-1 Layer III frames at 128 kb/s, 48 kHz: 384 bytes and 1152 samples each, 3 s in all. */
function mp3(frames = 125): Buffer {
  const frame = Buffer.alloc(384, 0);
  frame.set([0xff, 0xfb, 0x94, 0x64]);
  const out = Buffer.concat(Array.from({length: frames}, () => frame));
  for (let i = 0; i < out.length; i++) if (i % 384 >= 4) out[i] = i % 251;
  return out;
}

async function started(opts: Parameters<typeof startSimulator>[0] = {}) {
  sim = await startSimulator(opts);
  const token = (await pkceTokens(sim)).access_token;
  return {s: sim, headers: {Authorization: `Bearer ${token}`}};
}

/** Put a one-track card on the account and read its signed link back through GET /content/{id}. */
async function signedLink(s: YotoSimulator, headers: Record<string, string>, sha: string): Promise<string> {
  s.addCard({
    cardId: "arch1",
    title: "Archive me",
    content: {
      chapters: [{key: "01", title: "One", tracks: [{key: "01", title: "T", trackUrl: `yoto:#${sha}`, type: "audio"}]}],
    },
  });
  const res = await fetch(`${s.url}/content/arch1`, {headers});
  expect(res.status).toBe(200);
  return (await jsonOf(res)).card.content.chapters[0].tracks[0].trackUrl;
}

async function expectDenied(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(403);
  expect(res.headers.get("content-type")).toBe("text/xml");
  expect(await res.text()).toBe(DENIED);
}

describe("simulated media: signed links", () => {
  it("reads a card back with a signed link on its own host that serves exactly the stored bytes", async () => {
    const {s, headers} = await started();
    const bytes = mp3();
    const sha = s.addMedia(bytes, {title: "Song"});
    expect(sha).toBe(sha256(bytes));
    const events: unknown[] = [];
    s.mediaEvents.on("request", (e) => events.push(e));
    const link = await signedLink(s, headers, sha);
    expect(link.startsWith(`${s.url}/secure-media/yoto/${sha}?Expires=`)).toBe(true);
    expect(link.endsWith(`&Key-Pair-Id=KSIMULATOR#sha256=${sha}`)).toBe(true);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("etag")).toBe(`"${sha}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(bytes)).toBe(true);
    expect(events).toEqual([{sha, status: 200}]);
    expect(s.mediaRequests).toEqual([{sha, status: 200, bytes: bytes.length, at: expect.any(Number)}]);
    // Not an MP3: stored as AAC, served as audio/mp4; a tampered signature is refused.
    const aac = s.addMedia(Buffer.from("not an mpeg frame"));
    const aacLink = await signedLink(s, headers, aac);
    expect((await fetch(aacLink)).headers.get("content-type")).toBe("audio/mp4");
    await expectDenied(aacLink.replace(/Signature=[\w-]+/, "Signature=bad"));
  });

  it("voids every earlier link on expireSignedLinks, answers 404 for an unknown sha, and lets a 1 s link expire", async () => {
    const {s, headers} = await started({signedLinkSeconds: 3600});
    const sha = s.addMedia(mp3(10));
    const old = await signedLink(s, headers, sha);
    expect((await fetch(old)).status).toBe(200);
    s.expireSignedLinks();
    await expectDenied(old);
    const fresh = await signedLink(s, headers, sha);
    expect((await fetch(fresh)).status).toBe(200);

    const unknown = await signedLink(s, headers, "0".repeat(64));
    const missing = await fetch(unknown);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`,
    );

    s.signedLinkSeconds = 1;
    const short = await signedLink(s, headers, sha);
    expect((await fetch(short)).status).toBe(200);
    expect(expiredSignedLink(short)).toBe(false);
    // Expires has whole seconds: the link dies within two.
    await sleep(2100);
    await expectDenied(short);
    expect(expiredSignedLink(short)).toBe(true);
  });

  it("serves corrupted media with its first byte changed, and 503s for failMediaNext (set from a request listener)", async () => {
    const {s, headers} = await started();
    const bytes = mp3(20);
    const sha = s.addMedia(bytes);
    const link = await signedLink(s, headers, sha);
    s.mediaEvents.once("request", () => s.failMediaNext(1));
    expect((await fetch(link)).status).toBe(200);
    const failed = await fetch(link);
    expect(failed.status).toBe(503);
    s.corruptMedia(sha);
    const corrupted = Buffer.from(await (await fetch(link)).arrayBuffer());
    expect(corrupted.length).toBe(bytes.length);
    expect(corrupted[0]).not.toBe(bytes[0]);
    expect(corrupted.subarray(1).equals(bytes.subarray(1))).toBe(true);
    expect(s.mediaRequests.map((r) => [r.status, r.bytes])).toEqual([
      [200, bytes.length],
      [503, 0],
      [200, bytes.length],
    ]);
  });

  it("streams 50 MB of generated media to its sha without holding it in memory", async () => {
    const {s, headers} = await started();
    const size = 50 * 1024 * 1024;
    const MB30 = 30 * 1024 * 1024;
    const beforeAdd = process.memoryUsage().rss;
    const sha = await s.addLargeMedia(size, {format: "mp3"});
    expect(process.memoryUsage().rss - beforeAdd).toBeLessThan(MB30);
    const link = await signedLink(s, headers, sha);
    /** Read the link through, hashing as it comes; the peak RSS growth while reading. */
    const readThrough = async () => {
      const before = process.memoryUsage().rss;
      const res = await fetch(link);
      expect(res.headers.get("content-type")).toBe("audio/mpeg");
      expect(res.headers.get("content-length")).toBe(String(size));
      const hash = createHash("sha256");
      let read = 0;
      let peak = before;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        read += chunk.length;
        if (read % (4 * 1024 * 1024) < chunk.length) peak = Math.max(peak, process.memoryUsage().rss);
      }
      expect(read).toBe(size);
      expect(hash.digest("hex")).toBe(sha);
      return Math.max(peak, process.memoryUsage().rss) - before;
    };
    // The first read also warms the HTTP client's buffers up (a one-off ~25 MB that a second read does not add).
    await readThrough();
    expect(await readThrough()).toBeLessThan(MB30);
  });

  it("paces a download to mediaBytesPerSecond, and a client can walk away mid-download", async () => {
    const {s, headers} = await started();
    const bytes = Buffer.alloc(100_000, 7);
    const link = await signedLink(s, headers, s.addMedia(bytes));
    s.mediaBytesPerSecond = 200_000;
    const t0 = Date.now();
    expect(Buffer.from(await (await fetch(link)).arrayBuffer()).length).toBe(100_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    s.mediaBytesPerSecond = 20_000;
    const abort = new AbortController();
    const res = await fetch(link, {signal: abort.signal});
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    await sleep(300);
    const last = s.mediaRequests.at(-1);
    expect(last?.status).toBe(200);
    expect(last?.bytes).toBeLessThan(100_000);
  });

  it("serves icons at /card-content/yoto/<mediaId>: uploaded PNGs as sent, 404 for an unknown id", async () => {
    const {s, headers} = await started();
    const icons = await jsonOf(await fetch(`${s.url}/media/displayIcons/user/yoto`, {headers}));
    const publicIcon = await fetch(`${s.url}/card-content/yoto/${icons.displayIcons[0].mediaId}`);
    expect(publicIcon.status).toBe(200);
    expect(publicIcon.headers.get("content-type")).toBe("image/png");
    expect(
      Buffer.from(await publicIcon.arrayBuffer())
        .subarray(0, 4)
        .toString("hex"),
    ).toBe("89504e47");
    const png = new PNG({width: 16, height: 16});
    png.data.fill(200);
    const image = PNG.sync.write(png);
    const uploaded = await jsonOf(
      await fetch(`${s.url}/media/displayIcons/user/me/upload?autoConvert=false&filename=dot`, {
        method: "POST",
        headers: {...headers, "Content-Type": "image/png"},
        body: new Uint8Array(image),
      }),
    );
    const served = await fetch(`${s.url}/card-content/yoto/${uploaded.displayIcon.mediaId}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
    expect((await fetch(`${s.url}/card-content/yoto/nope`)).status).toBe(404);
  });
});
