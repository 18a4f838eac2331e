import {afterAll, describe, expect, it} from "vitest";
import type {ServerView, SourceItem} from "../../../src/mediaServers/mediaServer.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {until} from "../../helpers/icecast.js";
import {type MiniDlna, startMiniDlna} from "../../helpers/minidlna.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MINIDLNA = systemNeed("minidlna");

let sim: YotoSimulator;
let t: TestApp;
let nas: MiniDlna;

describe("an audiobook on the media server as a card", () => {
  afterAll(async () => {
    await t?.stop();
    await sim?.stop();
    await nas?.stop();
  });

  it.skipIf(!MINIDLNA.path)(
    "makes each of the book's parts a chapter, in order",
    async () => {
      nas = await startMiniDlna([
        {file: "Books/The Owl/01 Part One.mp3", title: "Part One", album: "The Owl", track: 1},
        {file: "Books/The Owl/02 Part Two.mp3", title: "Part Two", album: "The Owl", track: 2},
        {file: "Books/The Owl/03 Part Three.mp3", title: "Part Three", album: "The Owl", track: 3},
      ]);
      sim = await startSimulator();
      t = await startApp(
        ["--yoto_client_id", CLIENT_ID, "--media_servers", nas.descriptionUrl, "--media_discovery", "false"],
        {
          cloud: sim.endpoints,
          linkToOwnAudioListener: true,
        },
      );
      await linkAccount(t.app.account);
      const api = `${t.adminUrl}/api`;
      await until(async () => (await call("GET", `${api}/sources`)).body.servers[0]?.state === "ok", "the server");
      const server = (await call("GET", `${api}/sources`)).body.servers[0] as ServerView;
      let items = (await call("GET", `${api}/sources/${server.id}/browse`)).body.items as SourceItem[];
      for (const title of ["Music", "Album", "The Owl"]) {
        const folder = items.find((i) => i.title === title) as SourceItem;
        if (title === "The Owl") items = [folder];
        else
          items = (await call("GET", `${api}/sources/${server.id}/browse?object=${encodeURIComponent(folder.id)}`)).body
            .items;
      }
      const book = items[0] as SourceItem;
      const made = await call("POST", `${api}/cards`, {from: "items", items: [book.ref], title: "The Owl"});
      expect(made.status).toBe(201);
      const chapters = sim.card(made.body.card.cardId)?.content.chapters ?? [];
      expect(chapters.map((c) => [c.key, c.tracks[0]?.title, c.tracks[0]?.format])).toEqual([
        ["01", "Part One", "mp3"],
        ["02", "Part Two", "mp3"],
        ["03", "Part Three", "mp3"],
      ]);
    },
    60_000,
  );
});
