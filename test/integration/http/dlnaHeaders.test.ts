import http from "node:http";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {DLNA_FLAGS, dlnaProtocolInfo, MP3_FILE_FEATURES, MP3_LIVE_FEATURES} from "../../../src/http/dlnaHeaders.js";
import {resProtocolInfo} from "../../../src/upnpLibrary/profiles.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let ids: string[];

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "a.mp3"), {seconds: 2, frequency: 330});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir, audioRateLimit: {burst: 1000, perSecond: 1000}});
  ids = t.app.library.list().items.map((item) => item.id);
  await t.app.streams.replace("loop", ids, "loop");
  await t.app.streams.replace("once", ids, "once");
});

afterAll(async () => {
  await t?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/** The head of an answer (an endless stream's body is left unread: the connection is closed). */
function head(url: string, headers: Record<string, string>, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method, headers, agent: false}, (res) => {
      resolve({status: res.statusCode ?? 0, headers: res.headers});
      res.destroy();
    });
    req.on("error", reject);
    req.end();
  });
}

const fileUrl = () => `${t.audioUrl}${t.app.links.signed(`/audio/${ids[0]}.mp3`)}`;
const streamUrl = (name: string) => `${t.audioUrl}${t.app.links.signed(`/streams/${name}.mp3`)}`;
const ASKED = {"getcontentFeatures.dlna.org": "1", "transferMode.dlna.org": "Streaming"};

describe("DLNA headers on audio answers", () => {
  it("answers a library MP3 as MiniDLNA does: profile MP3, byte seek (OP=01), Streaming", async () => {
    expect(MP3_FILE_FEATURES).toBe(`DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=${DLNA_FLAGS}`);
    expect(DLNA_FLAGS).toBe("01700000000000000000000000000000");
    for (const extra of [{}, {Range: "bytes=100-199"}] as Array<Record<string, string>>) {
      const answer = await head(fileUrl(), {...ASKED, ...extra});
      expect(answer.status).toBe("Range" in extra ? 206 : 200);
      expect(answer.headers).toMatchObject({
        "content-type": "audio/mpeg",
        "accept-ranges": "bytes",
        "contentfeatures.dlna.org":
          "DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000",
        "transfermode.dlna.org": "Streaming",
      });
    }
    // HEAD too (a TV asks before it plays).
    const asked = await head(fileUrl(), ASKED, "HEAD");
    expect(asked.headers["contentfeatures.dlna.org"]).toBe(MP3_FILE_FEATURES);
  });

  it("says what the library's items promise in their protocolInfo", () => {
    for (const type of ["audio/mpeg", "audio/mp4", "audio/ogg"])
      for (const live of [false, true]) expect(resProtocolInfo(type, live)).toBe(dlnaProtocolInfo(type, !live));
  });

  it("answers a looping stream as live (OP=00, no seek) and a finite stream as a file", async () => {
    const loop = await head(streamUrl("loop"), ASKED);
    expect(loop.status).toBe(200);
    expect(loop.headers["accept-ranges"]).toBe("none");
    expect(loop.headers["contentfeatures.dlna.org"]).toBe(
      "DLNA.ORG_PN=MP3;DLNA.ORG_OP=00;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000",
    );
    expect(loop.headers["contentfeatures.dlna.org"]).toBe(MP3_LIVE_FEATURES);
    expect(loop.headers["transfermode.dlna.org"]).toBe("Streaming");
    const once = await head(streamUrl("once"), ASKED);
    expect(once.headers["contentfeatures.dlna.org"]).toBe(MP3_FILE_FEATURES);
  });

  it("echoes Background, answers Interactive as Streaming, and adds nothing when not asked", async () => {
    const background = await head(fileUrl(), {"transferMode.dlna.org": "Background"});
    expect(background.headers["transfermode.dlna.org"]).toBe("Background");
    // Asked the transfer mode alone: no contentFeatures.
    expect(background.headers["contentfeatures.dlna.org"]).toBeUndefined();
    const interactive = await head(fileUrl(), {"transferMode.dlna.org": "Interactive"});
    expect(interactive.status).toBe(200);
    expect(interactive.headers["transfermode.dlna.org"]).toBe("Streaming");
    for (const url of [fileUrl(), streamUrl("loop")]) {
      const plain = await head(url, {});
      expect(plain.status).toBe(200);
      expect(Object.keys(plain.headers).filter((h) => h.endsWith(".dlna.org"))).toEqual([]);
    }
    // Only "1" asks for the features (DLNA 7.4.26.5).
    const zero = await head(fileUrl(), {"getcontentFeatures.dlna.org": "0"});
    expect(zero.headers["contentfeatures.dlna.org"]).toBeUndefined();
    // An error answer carries none.
    const missing = await head(`${t.audioUrl}${t.app.links.signed("/audio/0123456789abcdef.mp3")}`, ASKED);
    expect(missing.status).toBe(404);
    expect(missing.headers["contentfeatures.dlna.org"]).toBeUndefined();
  });
});
