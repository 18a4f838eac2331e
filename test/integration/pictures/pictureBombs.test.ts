import {readFile} from "node:fs/promises";
import {createServer} from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {ChildShelf} from "../../../src/shared/api/shelf.js";
import {eventually} from "../../helpers/browser.js";
import {addTitledCard, startSimulator} from "../../helpers/cloud.js";
import {type FeedServer, followFeed, taleEpisode, toneFeedServer} from "../../helpers/feedServer.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {startInspectedService} from "../../helpers/inspectedService.js";
import {memoryCgroup, processMemory} from "../../helpers/memoryCgroup.js";
import {deflatedZeros, pictureBombs} from "../../helpers/pictureBombs.js";
import {tempDir} from "../../helpers/tmp.js";

const MIB = 1024 * 1024;
/** A small Home Assistant box's share for this service: the service and every ffmpeg it starts. */
const BOX_BYTES = 1024 * MIB;
/** What the service may hold once the bombs are answered, run from TypeScript sources (compiled is less). */
const AFTER_BYTES = 400 * MIB;

/** How each bomb is answered as an upload: its status and the sentence a parent reads (or taken). */
const UPLOADED: Record<string, [number, string]> = {
  "PNG IDAT": [
    422,
    "The upload holds more pixel data than its size says (64×64 is 16504 bytes): it is damaged, or made to exhaust memory. Send another",
  ],
  // The text chunk and colour profile are dropped unread: the 100×100 picture under them is taken.
  "PNG zTXt": [200, ""],
  "PNG iCCP": [200, ""],
  "16-bit PNG": [
    413,
    "The upload is 7000×7000 pixels of 16 bits a colour: reading it would take about 468 MB, more than the 348 MB a picture may use. Save it smaller, or with 8 bits a colour, and send it again",
  ],
  "progressive JPEG": [
    413,
    "The upload is 6900×6900 pixels: reading it would take about 512 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
  ],
  "GIF with a huge screen": [
    413,
    "The upload is 16000×3000 pixels: reading it would take about 367 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
  ],
  "animated WebP": [
    413,
    "The upload is 8000×6000 pixels: reading it would take about 367 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
  ],
};

/** /api/health asked again as soon as it answers, until stopped: every answer and every failure kept. */
function keepAskingHealth(adminUrl: string): {stop(): Promise<{answered: number; failed: string[]}>} {
  let running = true;
  let answered = 0;
  const failed: string[] = [];
  const loop = (async () => {
    while (running) {
      const res = await fetch(`${adminUrl}/api/health`).catch((err: Error) => err);
      if (res instanceof Error || res.status !== 200) failed.push(res instanceof Error ? res.message : `${res.status}`);
      else answered++;
      if (!(res instanceof Error)) await res.arrayBuffer().catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return {answered, failed};
    },
  };
}

async function childProcesses(pid: number): Promise<string[]> {
  const ids = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8")).trim().split(/\s+/).filter(Boolean);
  return Promise.all(
    ids.map((id) =>
      readFile(`/proc/${id}/comm`, "utf8").then(
        (c) => c.trim(),
        () => "gone",
      ),
    ),
  );
}

describe("pictures made to exhaust memory", () => {
  it("answers or draws each bomb, as an upload, a card's art and a podcast's cover, in a small box's memory, answering throughout", async () => {
    // The bombs, each a gigabyte of zeros (about 1 MB on the wire) or a header claiming more.
    // Three sets: the pictures taken are other pictures on each route (a shelf shows no two alike).
    const zeros = await deflatedZeros(1024 ** 3);
    const bombs = pictureBombs(zeros, 0x40);
    const artBombs = pictureBombs(zeros, 0x80);
    const coverBombs = pictureBombs(zeros, 0xc0);
    const names = Object.keys(bombs);
    const sim = await startSimulator();

    // A web server serving each bomb as a card's art, counting what is asked.
    const asked = new Map<string, number>();
    const artServer = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? "/").slice(1));
      asked.set(name, (asked.get(name) ?? 0) + 1);
      const body = Object.hasOwn(artBombs, name) ? artBombs[name] : undefined;
      res.writeHead(body ? 200 : 404, {"Content-Type": "image/png"});
      res.end(body);
    });
    await new Promise<void>((resolve) => artServer.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => new Promise<void>((resolve) => artServer.close(() => resolve())));
    const artUrl = `http://127.0.0.1:${(artServer.address() as AddressInfo).port}`;
    names.forEach((name, i) => {
      sim.addCard({
        cardId: `art${i}`,
        title: `Art ${i}`,
        metadata: {cover: {imageL: `${artUrl}/${encodeURIComponent(name)}`}},
        content: {chapters: []},
      });
      addTitledCard(sim, `up${i}`, `Upload ${i}`);
    });
    // A podcast per bomb, the bomb its feed's cover.
    const feeds: FeedServer[] = [];
    for (const [i, name] of names.entries()) {
      const feed = await toneFeedServer(1);
      atFileEnd(() => feed.stop());
      feed.title = `Podcast ${i}`;
      feed.episodes = [taleEpisode(1)];
      feed.image = `${feed.url}/art/cover`;
      feed.files.set("/art/cover", coverBombs[name] as Buffer);
      feeds.push(feed);
    }

    const root = await tempDir("yss-bombs-");
    const service = await startInspectedService(sim, {
      dataDir: path.join(root, "data"),
      mediaDir: path.join(root, "media"),
      rulesDir: path.join(root, "rules"),
    });
    // The service and every ffmpeg it starts from now on, in a small box's memory.
    const box = await memoryCgroup(`yss-bombs-${process.pid}`, service.pid, BOX_BYTES);
    atFileEnd(async () => {
      await service.stop();
      await box?.remove();
    });
    const admin = (method: string, pathname: string, body?: RequestInit["body"], type = "application/json") =>
      fetch(`${service.adminUrl}/${pathname}`, {
        method,
        body,
        headers: body === undefined ? {} : {"Content-Type": type},
      });
    for (const [i] of names.entries())
      await followFeed(service.adminUrl, `podcast${i}`, {url: `${feeds[i]?.url}/feed.xml`, keep: 1});

    const health = keepAskingHealth(service.adminUrl);

    // As uploads: each answered in words, or taken.
    const uploads: Record<string, [number, string]> = {};
    for (const [i, name] of names.entries()) {
      const res = await admin("PUT", `api/pictures/card:up${i}`, bombs[name], "image/png");
      const body = (await res.json()) as {error?: string};
      uploads[name] = [res.status, body.error ?? ""];
    }
    expect(uploads).toEqual(UPLOADED);

    // As cards' art and podcasts' covers on a child's shelf, read as the child's tablet reads it: each
    // refused one is drawn, and said once in the log; the two whose metadata was the bomb are shown.
    const shelf = [...names.map((_, i) => `card:art${i}`), ...names.map((_, i) => `stream:podcast${i}`)];
    const planned = await admin("PUT", "api/children/Mia", JSON.stringify({players: ["Bedroom Mini"], shelf}));
    expect(planned.status, await planned.clone().text()).toBe(200);
    const refused = names.filter((name) => (UPLOADED[name] as [number, string])[0] !== 200);
    const logged = (what: string, name: string) => {
      const said = (UPLOADED[name] as [number, string])[1].replace(/^The upload /, "");
      return service.lines.some((line) => line.includes(`${what} ${said}; it is drawn instead`));
    };
    let view: ChildShelf | undefined;
    await eventually(
      async () => {
        view = (await (await admin("GET", "api/children/Mia/shelf")).json()) as ChildShelf;
        return names.every((name, i) => {
          const want = refused.includes(name) ? "drawing" : "art";
          const pictures = view?.items.filter((item) => item.id === `card:art${i}` || item.id === `stream:podcast${i}`);
          return pictures?.length === 2 && pictures.every((item) => item.picture === want);
        });
      },
      "every bomb on the shelf drawn or shown",
      60_000,
    );
    for (const [i, name] of names.entries())
      if (refused.includes(name)) {
        expect(logged(`Card 'Art ${i}''s art`, name), `card ${name}`).toBe(true);
        expect(logged(`Podcast 'podcast${i}''s art`, name), `podcast ${name}`).toBe(true);
      }
    // Read again, a refused art is not fetched again: its refusal is kept.
    await admin("GET", "api/children/Mia/shelf");
    for (const name of names) expect(asked.get(name), name).toBe(1);

    // Alive, answering throughout, never past the box, and nothing left running.
    const {answered, failed} = await health.stop();
    expect(failed).toEqual([]);
    expect(answered).toBeGreaterThan(names.length);
    expect(service.exited()).toBeUndefined();
    if (box) expect(await box.oomKills()).toBe(0);
    await eventually(async () => (await childProcesses(service.pid)).length === 0, "no ffmpeg left running");
    const after = await service.ask<{rss: number}>({ask: "memory"});
    const own = await processMemory(service.pid);
    expect(after.rss, `RSS after: ${Math.round(after.rss / MIB)} MiB`).toBeLessThan(AFTER_BYTES);
    // The service itself never held the pixels: its peak stayed far below one decoded bomb.
    expect(own.peak, `peak RSS: ${Math.round(own.peak / MIB)} MiB`).toBeLessThan(AFTER_BYTES);
    // Seven bombs on three routes, each read once: about 12 s on a quiet 2-core box.
  }, 180_000);
});
