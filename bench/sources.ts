import http from "node:http";
import path from "node:path";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {requireFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import type {SourceItem} from "../src/mediaServers/mediaServer.js";
import {startMiniDlnaProcess} from "../test/helpers/miniDlnaProcess.js";
import {quantile} from "./cloud.js";
import {sized, table} from "./lib.js";
import {findFolder, toneFolders} from "./nasFolders.js";

type Row = Record<string, string | number>;
const FOLDER_ITEMS = sized(5000, 40);
const PAGE = sized(500, 40);
const BROWSE_ROUNDS = sized(5, 1);
const PLAY_ROUNDS = sized(5, 1);

/**
 * The home media server (#37), against Debian's MiniDLNA on loopback holding one folder of 5,000
 * tracks (copies of one short MP3):
 * - browse the whole folder in pages of 500 through `GET /api/sources/<id>/browse`, against the
 *   same SOAP Browse requests sent bare (the server's own time);
 * - first play of a track not cached yet: queue its ref (`PUT /api/streams/<name>`: fetched, checked
 *   and kept as a library item) and read the stream's first byte, against a bare GET of the file.
 */
export async function sourcesBench(workDir: string): Promise<Row[]> {
  const root = path.join(workDir, "sources");
  const ffmpeg = requireFfmpeg().path;
  await toneFolders(ffmpeg, path.join(root, "media"), [{name: "Big Folder", count: FOLDER_ITEMS, prefix: "Track"}]);
  const nas = await startMiniDlnaProcess(root, path.join(root, "media"), FOLDER_ITEMS);
  const app = new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(root, "data"),
      media_dirs: [path.join(root, "library")],
      rules_dir: path.join(root, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      media_discovery: false,
      audio_normalize: false,
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    ffmpegPath: ffmpeg,
  });
  await app.start();
  const agent = new http.Agent({keepAlive: true});
  try {
    const server = await app.sources.add(nas.descriptionUrl);
    const api = (route: string) => getJson(agent, `${app.admin.url}/${route}`);
    const browse = (object: string, start = 0) =>
      api(
        `api/sources/${server.id}/browse?object=${encodeURIComponent(object)}&start=${start}&count=${PAGE}`,
      ) as Promise<{items: SourceItem[]; total: number}>;
    const folder = await findFolder(async (object) => (await browse(object)).items, ["Music", "Folders", "Big Folder"]);
    const ours: number[] = [];
    const bare: number[] = [];
    let seen = 0;
    for (let round = 0; round < BROWSE_ROUNDS; round++) {
      let started = performance.now();
      seen = 0;
      for (let start = 0; start < FOLDER_ITEMS; start += PAGE) seen += (await browse(folder.id, start)).items.length;
      ours.push(performance.now() - started);
      started = performance.now();
      for (let start = 0; start < FOLDER_ITEMS; start += PAGE)
        await soapBrowse(agent, nas.controlUrl, folder.id, start);
      bare.push(performance.now() - started);
    }
    if (seen !== FOLDER_ITEMS) throw new Error(`bench: browsing saw ${seen} of ${FOLDER_ITEMS} items`);

    const tracks = (await browse(folder.id, 0)).items;
    // The same files' own addresses, as the server lists them (on its own host), for the baseline.
    const listing = await soapBrowse(agent, nas.controlUrl, folder.id, 0);
    const origin = new URL(nas.descriptionUrl);
    const fileUrls = [...listing.matchAll(/&gt;(http:\/\/[^&<]+?\.mp3)&lt;\/res&gt;/g)].map((m) => {
      const u = new URL(m[1] as string);
      u.host = origin.host;
      return u.toString();
    });
    const play: number[] = [];
    const bareFile: number[] = [];
    for (let i = 0; i < PLAY_ROUNDS; i++) {
      const track = tracks[i + 10] as SourceItem;
      const started = performance.now();
      await putJson(agent, `${app.admin.url}/api/streams/first-play-${i}`, {items: [track.ref]});
      const signed = app.links.signed(`/streams/first-play-${i}.mp3`);
      await firstByte(`${app.audio.url}${signed}`);
      play.push(performance.now() - started);
      const bareStart = performance.now();
      await firstByte(fileUrls[i + 30] as string);
      bareFile.push(performance.now() - bareStart);
    }
    const ms = (s: number[]) =>
      `${Math.min(...s).toFixed(1)} / ${quantile(s, 0.5).toFixed(1)} / ${Math.max(...s).toFixed(1)}`;
    const rows: Row[] = [
      {
        case: `browse ${FOLDER_ITEMS} items (${FOLDER_ITEMS / PAGE} pages), ms min/med/max`,
        ours: ms(ours),
        baseline: `${ms(bare)} (bare SOAP Browse)`,
        ratio: (quantile(ours, 0.5) / quantile(bare, 0.5)).toFixed(2),
      },
      {
        case: "first play of an uncached track: queue + first byte, ms min/med/max",
        ours: ms(play),
        baseline: `${ms(bareFile)} (bare GET of a file, first byte)`,
        ratio: (quantile(play, 0.5) / quantile(bareFile, 0.5)).toFixed(2),
      },
    ];
    console.log(`\nHome media server\n${table(rows)}`);
    return rows;
  } finally {
    agent.destroy();
    await app.stop();
    await nas.stop();
  }
}

function getJson(agent: http.Agent, url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, {agent}, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(JSON.parse(Buffer.concat(chunks).toString()))
            : reject(new Error(`bench: ${url} answered ${res.statusCode}: ${Buffer.concat(chunks)}`)),
        );
      })
      .on("error", reject);
  });
}

function putJson(agent: http.Agent, url: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method: "PUT", agent, headers: {"Content-Type": "application/json"}}, (res) => {
      res.resume();
      res.on("end", () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`bench: PUT answered ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

function soapBrowse(agent: http.Agent, controlUrl: string, objectId: string, start: number): Promise<string> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ObjectID>${objectId}</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>${start}</StartingIndex><RequestedCount>${PAGE}</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      controlUrl,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": 'text/xml; charset="utf-8"',
          SOAPACTION: '"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function firstByte(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
      res.once("end", resolve);
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
  });
}
