import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {decodeErrors, makeTone} from "../../helpers/audio.js";
import {jsonOf, rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let file: Buffer;
let signedUrl: string;
let signedPath: string;

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  const source = await makeTone(path.join(mediaDir, "songs", "tone.mp3"), {seconds: 3, title: "Tone"});
  file = await readFile(source);
  t = await startApp(["--public_url", "http://players.example:8080"], {
    dataDir: path.join(root, "data"),
    mediaDir,
    audioRateLimit: {burst: 1000, perSecond: 1000},
  });
  const item = t.app.library.list().items[0];
  if (!item) throw new Error("sample not indexed");
  signedPath = t.app.links.signed(t.app.links.itemPath(item));
  signedUrl = `${t.audioUrl}${signedPath}`;
});

afterAll(async () => {
  await t?.stop();
});

const get = (url: string, headers: Record<string, string> = {}, method = "GET") => fetch(url, {headers, method});

describe("public audio listener", () => {
  it("serves a signed file whole, with validators, and ffmpeg decodes what it got", async () => {
    const res = await get(signedUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-length")).toBe(String(file.length));
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.headers.get("last-modified")).toBeTruthy();
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(file)).toBe(true);
    const out = path.join(await tempDir(), "got.mp3");
    await writeFile(out, body);
    expect(await decodeErrors(out)).toBe("");
  });

  it("hands out absolute links under public_url", async () => {
    const item = t.app.library.list().items[0]!;
    const res = await get(`${t.adminUrl}/api/library/${item.id}`);
    const view = await jsonOf(res);
    expect(view.url).toBe(`http://players.example:8080${signedPath}`);
    expect(view.title).toBe("Tone");
    expect(view).not.toHaveProperty("absPath");
  });

  it("answers 404 to unsigned, tampered and borrowed signatures alike", async () => {
    const [pathname, query] = signedPath.split("?") as [string, string];
    const sig = query.replace("sig=", "");
    const tampered = sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A");
    const otherPath = pathname.replace(/^\/audio\/./, (m) => (m.endsWith("0") ? "/audio/1" : "/audio/0"));
    // The genuine link first: remembering that it matched must not let anything near it through.
    expect((await get(`${t.audioUrl}${pathname}?sig=${sig}`)).status).toBe(200);
    expect((await get(`${t.audioUrl}${pathname}?player=kitchen&sig=${sig}`)).status).toBe(200);
    for (const url of [
      `${t.audioUrl}${pathname}?sig=${sig}&sig=${sig}`,
      `${t.audioUrl}${pathname}?xsig=${sig}`,
      `${t.audioUrl}${pathname}`,
      `${t.audioUrl}${pathname}?sig=${tampered}`,
      `${t.audioUrl}${pathname}?sig=`,
      `${t.audioUrl}${otherPath}?sig=${sig}`,
      `${t.audioUrl}/api/health?sig=${sig}`,
      `${t.audioUrl}/audio/../../etc/passwd?sig=${sig}`,
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await jsonOf(res)).toEqual({error: "Not found", code: "not_found"});
    }
  });

  it.each([
    ["first byte", "bytes=0-0", 0, 0],
    ["last byte", "bytes=-1", -1, -1],
    ["open end", "bytes=1000-", 1000, -1],
    ["suffix", "bytes=-500", -500, -1],
    ["middle", "bytes=100-1099", 100, 1099],
    ["end past the size", "bytes=10-99999999", 10, -1],
    ["overlapping ranges coalesced", "bytes=0-9,5-19", 0, 19],
  ])("serves the %s as 206 with the exact bytes", async (_name, range, from, to) => {
    const start = from < 0 ? file.length + from : from;
    const end = to < 0 ? file.length + to : to;
    const res = await get(signedUrl, {Range: range});
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${file.length}`);
    expect(res.headers.get("content-length")).toBe(String(end - start + 1));
    expect(Buffer.from(await res.arrayBuffer()).equals(file.subarray(start, end + 1))).toBe(true);
  });

  it("answers a range past the end with 416 and the size", async () => {
    const res = await get(signedUrl, {Range: `bytes=${file.length}-`});
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe(`bytes */${file.length}`);
  });

  it("sends the whole file for disjoint multi-ranges and for malformed ranges (RFC 9110 allows ignoring)", async () => {
    for (const range of ["bytes=0-1,100-101", "bytes=abc", "lines=1-2"]) {
      const res = await get(signedUrl, {Range: range});
      expect(res.status, range).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).length).toBe(file.length);
    }
  });

  it("honours If-Range: a matching ETag gets the range, a stale one the whole file", async () => {
    const etag = (await get(signedUrl, {}, "HEAD")).headers.get("etag")!;
    const fresh = await get(signedUrl, {Range: "bytes=0-9", "If-Range": etag});
    expect(fresh.status).toBe(206);
    const stale = await get(signedUrl, {Range: "bytes=0-9", "If-Range": '"stale-etag"'});
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).length).toBe(file.length);
  });

  it("answers conditional GETs with 304", async () => {
    const etag = (await get(signedUrl, {}, "HEAD")).headers.get("etag")!;
    const res = await rawRequest(signedUrl, {headers: {"If-None-Match": etag}});
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    const lastModified = (await get(signedUrl, {}, "HEAD")).headers.get("last-modified")!;
    expect((await rawRequest(signedUrl, {headers: {"If-Modified-Since": lastModified}})).status).toBe(304);
    expect((await rawRequest(signedUrl, {headers: {"If-None-Match": '"other"'}})).status).toBe(200);
  });

  it("gives HEAD the same headers as GET and no body", async () => {
    const [head, full] = await Promise.all([get(signedUrl, {}, "HEAD"), get(signedUrl)]);
    await full.arrayBuffer();
    for (const h of ["content-type", "content-length", "etag", "last-modified", "accept-ranges"]) {
      expect(head.headers.get(h), h).toBe(full.headers.get(h));
    }
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const headRange = await get(signedUrl, {Range: "bytes=-10"}, "HEAD");
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get("content-length")).toBe("10");
  });

  it("refuses writes to audio URLs", async () => {
    const res = await get(signedUrl, {}, "DELETE");
    expect(res.status).toBe(405);
  });
});
