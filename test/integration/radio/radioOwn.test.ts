import {hostname} from "node:os";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {putStream, streamView, tinyServer} from "../../helpers/radio.js";

let t: TestApp;
let audioPort: number;
let adminPort: number;
let signedPath: string;
const servers: Array<{close(): Promise<void>}> = [];

const back = (url: string, named: string, port: number, what: "audio" | "admin") =>
  `${url} leads back to this service: ${named} is this machine, and port ${port} is its own ${what} listener. A station stream cannot play this service's own audio: give it the radio station's own address`;

describe("a station that names this service by another address", () => {
  beforeAll(async () => {
    // The family allows the whole of this machine (a local Icecast): this service is still refused.
    t = await startApp(["--fetch_allow", "127.0.0.0/8,::1,localhost,0.0.0.0"]);
    audioPort = Number(new URL(t.audioUrl).port);
    adminPort = Number(new URL(t.adminUrl).port);
    await putStream(t, "queue", {items: []});
    signedPath = (await streamView(t, "queue")).signedPath;
  }, 30_000);

  afterAll(async () => {
    for (const s of servers) await s.close();
    await t?.stop();
  });

  it("refuses localhost, 127.0.0.2, [::1], 0.0.0.0 and the machine's name at its audio or admin port, saying why", async () => {
    const cases: Array<[string, string, number, "audio" | "admin"]> = [
      [`http://localhost:${audioPort}${signedPath}`, "'localhost'", audioPort, "audio"],
      [`http://127.0.0.2:${audioPort}${signedPath}`, "127.0.0.2", audioPort, "audio"],
      [`http://[::1]:${audioPort}${signedPath}`, "::1", audioPort, "audio"],
      [`http://0.0.0.0:${adminPort}/api/health`, "0.0.0.0", adminPort, "admin"],
      [
        `http://${hostname()}:${audioPort}${signedPath}`,
        `'${hostname().toLowerCase()}' (this machine's name)`,
        audioPort,
        "audio",
      ],
    ];
    for (const [url, named, port, what] of cases) {
      const put = await putStream(t, "echo", {radio: {url}});
      expect(put.status, url).toBe(400);
      const shown = new URL(url);
      shown.search = "";
      expect(put.body.error).toBe(back(`${shown}${url.includes("?") ? "?…" : ""}`, named, port, what));
    }
    expect(t.app.streams.has("echo")).toBe(false);
  });

  it("refuses a station that redirects, or whose station file points, to this service", async () => {
    const admin = `http://localhost:${adminPort}/api/health`;
    const redirect = await tinyServer((_req, res) => res.writeHead(302, {Location: admin}).end());
    servers.push(redirect);
    const redirected = await putStream(t, "echo", {radio: {url: `${redirect.url}/listen`}});
    expect(redirected.status).toBe(400);
    expect(redirected.body.error).toBe(back(admin, "'localhost'", adminPort, "admin"));

    const file = await tinyServer((_req, res) =>
      res
        .writeHead(200, {"Content-Type": "audio/x-mpegurl"})
        .end(`#EXTM3U\nhttp://127.0.0.3:${audioPort}/streams/queue.mp3\n`),
    );
    servers.push(file);
    const pointed = await putStream(t, "echo", {radio: {url: `${file.url}/kids.m3u`}});
    expect(pointed.status).toBe(400);
    expect(pointed.body.error).toBe(
      back(`http://127.0.0.3:${audioPort}/streams/queue.mp3`, "127.0.0.3", audioPort, "audio"),
    );
  });
});
