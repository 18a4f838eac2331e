import {createHash} from "node:crypto";
import {mkdir, writeFile} from "node:fs/promises";
import {createServer, request} from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {imageSize} from "image-size";
import {PNG} from "pngjs";
import {describe, expect, it} from "vitest";
import type {ChildShelf} from "../../../src/shared/api/shelf.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {eventually} from "../../helpers/browser.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {followFeed, taleEpisode, toneFeedServer} from "../../helpers/feedServer.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {tempDir} from "../../helpers/tmp.js";

const TOKEN = "a-long-enough-api-token-1234";

/** A web server that answers every address with a page, as a card's art pointing at a login page would. */
async function htmlServer(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {"Content-Type": "text/html"});
    res.end("<!DOCTYPE html><html><body>Sign in</body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  atFileEnd(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function photo(width: number, height: number): Buffer {
  const png = new PNG({width, height});
  for (let i = 0; i < width * height; i++) png.data.set([(i * 7) % 256, (i * 13) % 256, 90, 255], i * 4);
  return PNG.sync.write(png);
}

/** A PNG whose header says 100,000 × 100,000 pixels: decoded, it would be 40 GB. */
function pngBomb(): Buffer {
  const png = photo(1, 1);
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  return png;
}

/** A PUT in chunks (no Content-Length), as a streaming client sends; or one that hangs up after `hangUpAfter` bytes. */
function rawPut(
  t: TestApp,
  pathname: string,
  body: Buffer,
  opts: {hangUpAfter?: number} = {},
): Promise<{status: number; body: unknown}> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.adminUrl}/${pathname}`, {
      method: "PUT",
      headers: {Authorization: `Bearer ${TOKEN}`, "Content-Type": "image/png", "Transfer-Encoding": "chunked"},
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString())}));
    });
    if (opts.hangUpAfter !== undefined) {
      req.write(body.subarray(0, opts.hangUpAfter), () => req.destroy());
      return;
    }
    for (let at = 0; at < body.length; at += 256 * 1024) req.write(body.subarray(at, at + 256 * 1024));
    req.end();
  });
}

async function shelfOf(t: TestApp, child: string): Promise<ChildShelf> {
  const res = await fetch(`${t.adminUrl}/api/children/${child}/shelf`, {headers: {Authorization: `Bearer ${TOKEN}`}});
  return (await res.json()) as ChildShelf;
}

describe("a picture for everything on a shelf", () => {
  it("serves cards' art from here, takes a parent's upload and icon, refuses bad pictures, and draws the rest, no two alike", async () => {
    const sim = await startSimulator();
    const page = await htmlServer();
    addSongsCard(sim);
    const art = (cardId: string, title: string, imageL: string) =>
      sim.addCard({cardId, title, metadata: {cover: {imageL}}, content: {chapters: []}});
    art("owl", "The Owl", `${sim.url}/covers/owl.png`);
    art("owl2", "The Owl Again", `${sim.url}/covers/owl.png`);
    art("login", "Sign In Art", `${page}/art.png`);
    art("ftp", "Odd Art", "ftp://example.invalid/art.png");
    const t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN], {cloud: sim.endpoints});
    const parent = (method: string, pathname: string, body?: RequestInit["body"], type = "application/json") =>
      fetch(`${t.adminUrl}/${pathname}`, {
        method,
        headers: {Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : {"Content-Type": type})},
        body,
      });
    await linkAccount(t.app.account);
    const shelf = ["Songs", "The Owl", "The Owl Again", "Sign In Art", "Odd Art"];
    const planned = await parent("PUT", "api/children/Mia", JSON.stringify({players: ["Bedroom Mini"], shelf}));
    expect(planned.status, await planned.clone().text()).toBe(200);

    // The card's art (http, as Yoto's simulator gives it) is fetched, checked and served from here.
    let view = await shelfOf(t, "Mia");
    await eventually(async () => {
      view = await shelfOf(t, "Mia");
      return view.items.find((i) => i.id === "card:owl")?.picture === "art";
    }, "the owl card's art");
    const owl = view.items.find((i) => i.id === "card:owl");
    expect(owl?.cover).toMatch(/^api\/shelf\/pictures\/[0-9a-f]{64}\.png$/);
    const served = await fetch(`${t.adminUrl}/${owl?.cover}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    // Yoto's 16×16 art, made big in whole pixels.
    expect(imageSize(new Uint8Array(await served.arrayBuffer()))).toMatchObject({width: 480, height: 480, type: "png"});
    // The same art on a second card is not shown twice: the second is drawn. So are art that is a
    // web page and art at an address that is not the web.
    const byId = new Map(view.items.map((i) => [i.id, i]));
    for (const id of ["card:owl2", "card:login", "card:ftp", "card:songs"])
      expect(byId.get(id)?.picture, id).toBe("drawing");
    expect(new Set(view.items.map((i) => i.cover)).size).toBe(view.items.length);
    expect(t.logs.join("\n")).toContain(
      "Card 'Sign In Art''s art is not a picture: its first bytes are not those of a PNG, JPEG, GIF or WebP (it is a web page). Send one of those; it is drawn instead",
    );
    expect(t.logs.join("\n")).toContain(
      "Card 'Odd Art''s art is not at a web address ('ftp://example.invalid/art.png'): only http, https and data: pictures are fetched; it is drawn instead",
    );

    // A parent's upload: a photo, made at most 480 px and a JPEG, shown at once.
    const chosen = await parent("PUT", "api/pictures/card:songs", photo(900, 600), "image/png");
    expect(chosen.status).toBe(200);
    const made = (await chosen.json()) as {url: string; from: string};
    expect(made).toMatchObject({
      from: "upload",
      url: expect.stringMatching(/^api\/shelf\/pictures\/[0-9a-f]{64}\.jpg$/),
    });
    const jpeg = new Uint8Array(await (await fetch(`${t.adminUrl}/${made.url}`)).arrayBuffer());
    expect(imageSize(jpeg)).toMatchObject({width: 480, height: 320, type: "jpg"});
    view = await shelfOf(t, "Mia");
    expect(view.items.find((i) => i.id === "card:songs")).toMatchObject({picture: "chosen", cover: made.url});

    // Chosen again: the picture it replaces is gone, not left on disk.
    const second = (await (await parent("PUT", "api/pictures/card:songs", photo(600, 900), "image/png")).json()) as {
      url: string;
    };
    expect((await fetch(`${t.adminUrl}/${made.url}`)).status).toBe(404);
    const back = (await (await parent("PUT", "api/pictures/card:songs", photo(900, 600), "image/png")).json()) as {
      url: string;
    };
    expect(back.url).toBe(made.url);
    expect((await fetch(`${t.adminUrl}/${second.url}`)).status).toBe(404);

    // A picture this service made, saved from the shelf and sent back for another item, is the same
    // picture (not a copy of it): refused, as two items would look alike; so is one chosen already.
    const owlBytes = Buffer.from(await (await fetch(`${t.adminUrl}/${owl?.cover}`)).arrayBuffer());
    for (const [body, type] of [
      [owlBytes, "image/png"],
      [photo(900, 600), "image/png"],
    ] as const) {
      const taken = await parent("PUT", "api/pictures/card:ftp", body, type);
      expect({status: taken.status, body: await taken.json()}, type).toEqual({
        status: 409,
        body: {
          error: `'${body === owlBytes ? "The Owl" : "Songs"}' has this picture already, and a child tells the shelf apart by its pictures: choose another, or give '${body === owlBytes ? "The Owl" : "Songs"}' its own back first`,
          code: "picture_taken",
        },
      });
    }

    // One of Yoto's icons.
    const icons = (await (await parent("GET", "api/icons")).json()) as {public: Array<{ref: string}>};
    const star = icons.public[0]?.ref as string;
    const iconChosen = await parent("PUT", "api/pictures/card:login", JSON.stringify({icon: star}));
    expect(iconChosen.status).toBe(200);
    expect(await iconChosen.json()).toMatchObject({from: "icon", icon: star});

    // Bad pictures: each refused with what was wrong, and nothing chosen changes.
    const refusals: Array<[RequestInit["body"], string, number, string]> = [
      [
        Buffer.alloc(50 * 1024 * 1024, 1),
        "image/png",
        413,
        "The upload is 50.0 MB: a picture may be at most 10 MB. Make it smaller (a phone's photo is 2 to 5 MB) and send it again",
      ],
      [
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
        "image/svg+xml",
        415,
        "The upload is an SVG: SVG pictures are not taken, as an SVG can carry script. Send a PNG, JPEG, GIF or WebP",
      ],
      [
        '<?xml version="1.0"?>\n<!-- no size --><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/png",
        415,
        "The upload is an SVG: SVG pictures are not taken, as an SVG can carry script. Send a PNG, JPEG, GIF or WebP",
      ],
      [
        pngBomb(),
        "image/png",
        413,
        "The upload is 100000×100000 pixels, more than the 50 megapixels (and 16384 pixels a side) taken: make it smaller and send it again",
      ],
      [
        "just some words",
        "image/jpeg",
        415,
        "The upload is not a picture: its first bytes are not those of a PNG, JPEG, GIF or WebP. Send one of those",
      ],
    ];
    for (const [body, type, status, error] of refusals) {
      const res = await parent("PUT", "api/pictures/card:songs", body, type);
      expect({status: res.status, body: await res.json()}).toEqual({status, body: {error, code: "bad_picture"}});
    }
    // Sent in chunks with no length said: read to its end (thrown away past 10 MB), then answered.
    const chunked = await rawPut(t, "api/pictures/card:songs", Buffer.alloc(11 * 1024 * 1024, 7));
    expect(chunked).toEqual({
      status: 413,
      body: {
        error:
          "The upload is 11.0 MB: a picture may be at most 10 MB. Make it smaller (a phone's photo is 2 to 5 MB) and send it again",
        code: "bad_picture",
      },
    });
    // A tablet that hangs up half-way through an upload: nothing is chosen, and the service goes on.
    await rawPut(t, "api/pictures/card:songs", photo(300, 300), {hangUpAfter: 1000}).catch(() => undefined);
    const unknown = await parent("PUT", "api/pictures/card:nope", photo(4, 4), "image/png");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as {error: string}).error).toBe(
      "Nothing a shelf can hold is 'card:nope': a picture is for a shelf item, by its id as GET /api/children/<name>/shelf lists it (card:<id>, story:<id>, stream:<name>, library:<id>, story-radio)",
    );
    expect((await shelfOf(t, "Mia")).items.find((i) => i.id === "card:songs")?.cover).toBe(made.url);

    // Kept across a restart, and given back.
    await t.stop();
    const again = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN], {
      cloud: sim.endpoints,
      dataDir: t.dataDir,
      mediaDir: t.mediaDir,
    });
    view = await shelfOf(again, "Mia");
    expect(view.items.find((i) => i.id === "card:songs")).toMatchObject({picture: "chosen", cover: made.url});
    expect((await fetch(`${again.adminUrl}/${made.url}`)).status).toBe(200);
    const list = (await (
      await fetch(`${again.adminUrl}/api/pictures`, {headers: {Authorization: `Bearer ${TOKEN}`}})
    ).json()) as {pictures: Array<{item: string}>};
    expect(list.pictures.map((p) => p.item).sort()).toEqual(["card:login", "card:songs"]);
    const cleared = await fetch(`${again.adminUrl}/api/pictures/card:songs`, {
      method: "DELETE",
      headers: {Authorization: `Bearer ${TOKEN}`},
    });
    expect(cleared.status).toBe(204);
    expect((await shelfOf(again, "Mia")).items.find((i) => i.id === "card:songs")?.picture).toBe("drawing");
    // A picture's name is its bytes' sha256: anything else is not one.
    for (const name of ["..%2Fstate.sqlite", "abc.jpg", `${"0".repeat(64)}.jpg`])
      expect((await fetch(`${again.adminUrl}/api/shelf/pictures/${name}`)).status, name).toBe(404);
  });

  it("shows a story's icon as its picture, made big from Yoto's 16×16", async () => {
    const sim = await startSimulator();
    const root = await tempDir("yss-story-picture-");
    const star = createHash("sha256").update("star").digest("base64url");
    await mkdir(path.join(root, "rules"), {recursive: true});
    await makeTone(path.join(root, "media", "owl.mp3"), {seconds: 2});
    await writeFile(
      path.join(root, "rules", "owl.yaml"),
      `story:\n  id: owl_story\n  title: The Owl Story\n  icon: yoto:#${star}\n  start: a\n  scenes:\n    a:\n      audio: owl.mp3\n`,
    );
    const t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN], {
      cloud: sim.endpoints,
      dataDir: path.join(root, "data"),
      mediaDir: path.join(root, "media"),
    });
    await linkAccount(t.app.account);
    const planned = await fetch(`${t.adminUrl}/api/children/Mia`, {
      method: "PUT",
      headers: {Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json"},
      body: JSON.stringify({players: ["Bedroom Mini"], shelf: ["story:owl_story"]}),
    });
    expect(planned.status, await planned.clone().text()).toBe(200);
    let view = await shelfOf(t, "Mia");
    await eventually(async () => {
      view = await shelfOf(t, "Mia");
      return view.items[0]?.picture === "story";
    }, "the story's icon");
    const res = await fetch(`${t.adminUrl}/${view.items[0]?.cover}`);
    expect(imageSize(new Uint8Array(await res.arrayBuffer()))).toMatchObject({width: 480, height: 480, type: "png"});
  });

  it("shows a podcast's cover from its feed as its picture", async () => {
    const sim = await startSimulator();
    const t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    await linkAccount(t.app.account);
    const feed = await toneFeedServer(1);
    atFileEnd(() => feed.stop());
    feed.episodes = [taleEpisode(1)];
    feed.image = `${feed.url}/art/tales.png`;
    feed.files.set("/art/tales.png", photo(800, 800));
    await followFeed(t.adminUrl, "tales", {url: `${feed.url}/feed.xml`, keep: 1});
    const planned = await fetch(`${t.adminUrl}/api/children/Mia`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({players: ["Bedroom Mini"], shelf: ["stream:tales"]}),
    });
    expect(planned.status, await planned.clone().text()).toBe(200);
    let view = await shelfOf(t, "Mia");
    await eventually(async () => {
      view = await shelfOf(t, "Mia");
      return view.items[0]?.picture === "art";
    }, "the podcast's cover");
    expect(view.items[0]).toMatchObject({
      kind: "podcast",
      cover: expect.stringMatching(/^api\/shelf\/pictures\/[0-9a-f]{64}\.jpg$/),
    });
    const res = await fetch(`${t.adminUrl}/${view.items[0]?.cover}`);
    expect(imageSize(new Uint8Array(await res.arrayBuffer()))).toMatchObject({width: 480, height: 480, type: "jpg"});
  });

  it("does not keep art cut short by a stop as failed: after a restart it is shown", async () => {
    const sim = await startSimulator();
    // The art's server holds its first request (the service stops meanwhile), then answers.
    let asked: () => void = () => undefined;
    const firstAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let requests = 0;
    const server = createServer((_req, res) => {
      if (requests++ === 0) {
        asked();
        return;
      }
      res.writeHead(200, {"Content-Type": "image/png"});
      res.end(photo(8, 8));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    atFileEnd(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/art.png`;
    sim.addCard({cardId: "slow", title: "Slow Art", metadata: {cover: {imageL: url}}, content: {chapters: []}});
    const flags = ["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN];
    const t = await startApp(flags, {cloud: sim.endpoints});
    await linkAccount(t.app.account);
    const planned = await fetch(`${t.adminUrl}/api/children/Mia`, {
      method: "PUT",
      headers: {Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json"},
      body: JSON.stringify({players: ["Bedroom Mini"], shelf: ["Slow Art"]}),
    });
    expect(planned.status, await planned.clone().text()).toBe(200);
    expect((await shelfOf(t, "Mia")).items[0]?.picture).toBe("drawing");
    await firstAsked;
    await t.stop();

    const again = await startApp(flags, {cloud: sim.endpoints, dataDir: t.dataDir, mediaDir: t.mediaDir});
    await eventually(
      async () => (await shelfOf(again, "Mia")).items[0]?.picture === "art",
      "the art, made after the restart",
    );
  });
});
