import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {ArchiveFolder} from "../../../src/archive/archiveFolder.js";
import {fetchMedia} from "../../../src/archive/mediaFetch.js";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {Logger} from "../../../src/core/logger.js";
import {uploadAudio} from "../../../src/yoto/audioUpload.js";
import {YotoRest} from "../../../src/yoto/rest.js";
import {tempDir} from "../../helpers/tmp.js";

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

/** A real server on loopback answering every request with `answer`; `hits` counts requests. */
async function serve(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits};
}

const quiet = new Logger({level: "error", sink: () => undefined});
const tokens = {accessToken: async () => "token", invalidate: () => undefined};

describe("the archive's boundaries with what Yoto sends", () => {
  it("refuses an icon past 1 MB once, without trying again as if Yoto were down", async () => {
    const cdn = await serve((_req, res) =>
      res.writeHead(200, {"Content-Length": String(2 * 1024 * 1024)}).end(Buffer.alloc(2 * 1024 * 1024)),
    );
    const folder = new ArchiveFolder(path.join(await tempDir("yss-arch-"), "archive"), quiet);
    await folder.prepare();
    const error = await fetchMedia(
      {ref: "yoto:#icon", kind: "icon", url: `${cdn.url}/icon.png`, where: "Chapter 'One''s icon"},
      {
        folder,
        signal: new AbortController().signal,
        progress: () => undefined,
        relink: async () => undefined,
        retryDelaysMs: [1, 1, 1],
      },
    ).catch((err: Error & {upstream?: number; status?: number}) => err);
    expect(error).toMatchObject({status: 413, upstream: -1});
    expect((error as Error).message).toBe(
      `Could not fetch ${cdn.url}/icon.png: it is 2.0 MiB, more than the 1.0 MiB allowed`,
    );
    expect(cdn.hits).toHaveLength(1);
  });

  it("sends the family's audio only where fetches may go: an upload URL inside the home network is refused", async () => {
    const router = await serve((_req, res) => res.end());
    const api = await serve((_req, res) => {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({upload: {uploadId: "u1", uploadUrl: `${router.url}/cgi-bin/config`}}));
    });
    const rest = new YotoRest({apiUrl: api.url, tokens, log: quiet});
    const file = {path: __filename, sha256: "0".repeat(64), bytes: 10, filename: "a.mp3", contentType: "audio/mpeg"};
    const error = await uploadAudio(rest, file, {policy: new FetchPolicy([])}).catch((err: Error) => err);
    expect((error as Error).message).toMatch(/^The upload URL Yoto answered is refused: /);
    expect(router.hits).toEqual([]);
  });

  it("takes a card list without its list as an error, never as 'no cards'", async () => {
    const api = await serve((_req, res) => res.writeHead(200, {"Content-Type": "application/json"}).end("{}"));
    const rest = new YotoRest({apiUrl: api.url, tokens, log: quiet});
    await expect(rest.myContent()).rejects.toThrow("Yoto answered GET /content/mine without a list of cards");
    await expect(rest.myCardTitles()).rejects.toThrow("Yoto answered GET /content/mine without a list of cards");
    expect(await rest.familyLibrary()).toEqual([]);
  });

  it("takes a card list its reader failed on (the service stopping) as an error, never as 'no cards'", async () => {
    const api = await serve((_req, res) =>
      res.writeHead(200, {"Content-Type": "application/json"}).end('{"cards":[]}'),
    );
    const stopped = {
      read: async () => {
        throw new Error("the card list reader was stopped");
      },
      close: async () => undefined,
    };
    const rest = new YotoRest({apiUrl: api.url, tokens, log: quiet, cardLists: stopped});
    const why =
      "The card list from Yoto could not be read here (the card list reader was stopped); it is read again shortly";
    await expect(rest.familyLibrary()).rejects.toThrow(why);
    await expect(rest.myCardTitles()).rejects.toThrow(why);
  });
});
