import {readFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import type {ServerView} from "../../../src/mediaServers/mediaServer.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {didlTrack, fakeDlna, soapAnswer} from "../../helpers/fakeDlna.js";
import {call} from "../../helpers/http.js";
import {putStream, tinyServer} from "../../helpers/radio.js";
import {tempDir} from "../../helpers/tmp.js";

const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

async function add(t: TestApp, url: string): Promise<{status: number; body: ServerView & {error?: string}}> {
  return call("POST", `${t.adminUrl}/api/sources`, {url});
}

/** A track on another port of the server's host: what a server pointing its links elsewhere leads to. */
async function toneServer(): Promise<{url: string; requests: () => number}> {
  const tone = await readFile(await makeTone(path.join(await tempDir(), "tone.mp3"), {seconds: 1}));
  const server = await tinyServer((_req, res) =>
    res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": String(tone.length)}).end(tone),
  );
  closers.push(server.close);
  return server;
}

describe("a media server's links to this service's own listeners", () => {
  // The test app lists 127.0.0.1 in fetch_allow (every port of it): even so, its own ports are refused.
  it("refuses a ContentDirectory on the admin port, naming the link, and never takes the server", async () => {
    const t = await startApp();
    closers.push(() => t.stop());
    const nas = await fakeDlna(
      () => soapAnswer("Browse", "", 0),
      undefined,
      () => `${t.adminUrl}/api/library/rescan`,
    );
    closers.push(nas.close);
    const added = await add(t, `${nas.url}/desc.xml`);
    expect(added.status).toBe(403);
    expect(added.body.error).toBe(
      `${t.adminUrl}/api/library/rescan leads to this service's own admin port (${t.app.admin.port}): a media server's links are never followed back to this service`,
    );
    expect((await call("GET", `${t.adminUrl}/api/sources`)).body.servers).toEqual([]);
    expect(t.logs.some((l) => l.includes(`Media server link refused: ${t.adminUrl}/api/library/rescan leads to`))).toBe(
      true,
    );
  });

  it("refuses a track linked to the audio port or the admin port", async () => {
    const t = await startApp();
    closers.push(() => t.stop());
    const audioPort = t.app.audio.port;
    const adminPort = t.app.admin.port;
    const nas = await fakeDlna((call) =>
      soapAnswer(
        "Browse",
        call.objectId === "admin"
          ? didlTrack("admin", "Admin", `http://localhost:${adminPort}/api/diagnostics`)
          : didlTrack("audio", "Audio", `http://127.0.0.1:${audioPort}/streams/x.mp3`),
        1,
      ),
    );
    closers.push(nas.close);
    const server = await add(t, `${nas.url}/desc.xml`);
    expect(server.status, server.body.error).toBe(201);
    // The listing's host is made the server's own (127.0.0.1); its port is what leads back here.
    const audio = await putStream(t, "audio", {items: [`dlna:${server.body.id}:audio`]});
    expect(audio).toMatchObject({
      status: 403,
      body: {
        error: `http://127.0.0.1:${audioPort}/streams/x.mp3 leads to this service's own audio port (${audioPort}): a media server's links are never followed back to this service`,
      },
    });
    const admin = await putStream(t, "admin", {items: [`dlna:${server.body.id}:admin`]});
    expect(admin.status).toBe(403);
    expect(admin.body.error).toBe(
      `http://127.0.0.1:${adminPort}/api/diagnostics leads to this service's own admin port (${adminPort}): a media server's links are never followed back to this service`,
    );
  });
});

describe("a media server's links to other ports of its host", () => {
  it("refuses a track, or a redirect, on another port than the server's; fetches it once fetch_allow lists that port", async () => {
    const other = await toneServer();
    const otherPort = new URL(other.url).port;
    const nas = await fakeDlna(
      (call, base) =>
        soapAnswer(
          "Browse",
          call.objectId === "hop"
            ? didlTrack("hop", "Hop", `${base}/hop.mp3`)
            : didlTrack("away", "Away", `${other.url}/away.mp3`),
          1,
        ),
      (_path, res) => res.writeHead(302, {Location: `${other.url}/hop.mp3`}).end(),
    );
    closers.push(nas.close);
    const strict = await startApp(["--fetch_allow", "10.9.9.9"]);
    closers.push(() => strict.stop());
    const server = await add(strict, `${nas.url}/desc.xml`);
    expect(server.status, server.body.error).toBe(201);
    const refusal = (link: string) =>
      `${link} is not where the media server at ${new URL(nas.url).host} was found (another port): a media server is fetched from only at the address and port it was added or found with; if that port is the server's too, add '127.0.0.1:${otherPort}' to the fetch_allow option`;
    const away = await putStream(strict, "away", {items: [`dlna:${server.body.id}:away`]});
    expect(away).toMatchObject({status: 403, body: {error: refusal(`${other.url}/away.mp3`)}});
    const hop = await putStream(strict, "hop", {items: [`dlna:${server.body.id}:hop`]});
    expect(hop).toMatchObject({status: 403, body: {error: refusal(`${other.url}/hop.mp3`)}});
    expect(other.requests()).toBe(0);

    // The family says that port is the server's too (a server sending tracks from a second port).
    const listed = await startApp(["--fetch_allow", `127.0.0.1:${otherPort}`]);
    closers.push(() => listed.stop());
    const again = await add(listed, `${nas.url}/desc.xml`);
    const fetched = await putStream(listed, "away", {items: [`dlna:${again.body.id}:away`]});
    expect(fetched.status, fetched.body.error).toBe(200);
    expect(other.requests()).toBe(1);
  });

  it("refuses a description whose ContentDirectory is on another port", async () => {
    const t = await startApp(["--fetch_allow", "10.9.9.9"]);
    closers.push(() => t.stop());
    const nas = await fakeDlna(
      () => soapAnswer("Browse", "", 0),
      undefined,
      (base) => `${base.replace(/:\d+$/, ":9")}/ctl`,
    );
    closers.push(nas.close);
    const added = await add(t, `${nas.url}/desc.xml`);
    expect(added.status).toBe(403);
    expect(added.body.error).toBe(
      `http://127.0.0.1:9/ctl is not where the media server at ${new URL(nas.url).host} was found (another port): a media server is fetched from only at the address and port it was added or found with; if that port is the server's too, add '127.0.0.1:9' to the fetch_allow option`,
    );
  });
});

describe("a media server at a link-local or cloud metadata address", () => {
  it("is refused at once, saying how to allow it", async () => {
    const t = await startApp();
    closers.push(() => t.stop());
    const metadata = await add(t, "http://169.254.169.254/latest/desc.xml");
    expect(metadata).toMatchObject({
      status: 403,
      body: {
        error:
          "http://169.254.169.254/latest/desc.xml is not fetched: 169.254.169.254 is a cloud metadata address, which a media server is not fetched from unless you allow it: add '169.254.169.254' to the fetch_allow option (--fetch_allow 169.254.169.254 or YSS_FETCH_ALLOW=169.254.169.254) if it is yours",
      },
    });
    const linkLocal = await add(t, "http://[fe80::1]:8200/rootDesc.xml");
    expect(linkLocal.status).toBe(403);
    expect(linkLocal.body.error).toBe(
      "http://[fe80::1]:8200/rootDesc.xml is not fetched: fe80::1 is a link-local address, which a media server is not fetched from unless you allow it: add 'fe80::1' to the fetch_allow option (--fetch_allow fe80::1 or YSS_FETCH_ALLOW=fe80::1) if it is yours",
    );
    const aws = await add(t, "http://[fd00:ec2::254]/desc.xml");
    expect(aws.body.error).toMatch(
      /^http:\/\/\[fd00:ec2::254\]\/desc\.xml is not fetched: fd00:ec2::254 is a cloud metadata address/,
    );
    const mapped = await add(t, "http://[::ffff:169.254.10.1]:8200/desc.xml");
    expect(mapped.body.error).toMatch(/is not fetched: '::ffff:a9fe:a01' \(169\.254\.10\.1\) is a link-local address/);
    expect((await call("GET", `${t.adminUrl}/api/sources`)).body.servers).toEqual([]);
  });
});
