import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let signedPath: string;

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "tone.mp3"), {seconds: 1});
  t = await startApp(["--public_url", "http://players.example:8080"], {dataDir: path.join(root, "data"), mediaDir});
  const item = t.app.library.list().items[0];
  if (!item) throw new Error("sample not indexed");
  signedPath = t.app.links.signed(t.app.links.itemPath(item));
});

afterAll(async () => {
  await t?.stop();
});

const preflight = (pathname: string) =>
  fetch(`${t.audioUrl}${pathname}`, {
    method: "OPTIONS",
    headers: {Origin: "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
  });

/** Only signed URLs exist on the public listener, for preflights too (docs/security.md, "What is open and what is protected"). */
describe("CORS preflight on the audio listener", () => {
  it("answers an unsigned preflight 404 with no CORS headers, like any unsigned request", async () => {
    const unsigned = signedPath.replace(/\?sig=.*$/, "");
    for (const pathname of [unsigned, `${unsigned}?sig=forged`, "/streams/bedtime.mp3", "/nothing/here"]) {
      const res = await preflight(pathname);
      expect({pathname, status: res.status}).toEqual({pathname, status: 404});
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
      expect(await res.json()).toEqual({error: "Not found", code: "not_found"});
    }
  });

  it("answers a signed preflight 204 with GET/HEAD and the range headers allowed", async () => {
    const res = await preflight(signedPath);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    expect(res.headers.get("access-control-allow-headers")).toBe("Range, If-Range");
  });
});
