import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {CardTitles} from "../../../src/history/cardTitles.js";
import {HistoryStore} from "../../../src/history/historyStore.js";
import {sessionsPage} from "../../../src/history/queries.js";
import {SessionTracker} from "../../../src/history/sessionTracker.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

const AT = Date.UTC(2031, 2, 4, 17);

const player = (status: PlayerState["playback"]["status"], cardId: string | null): PlayerState => ({
  ...newPlayer({deviceId: "p1", name: "Living Room", deviceFamily: "v3", deviceType: "v3", online: true}),
  playback: {status, cardId},
  lastSeen: new Date(AT).toISOString(),
});

describe("a play too short to count", () => {
  let dir = "";
  let store: HistoryStore | undefined;
  afterEach(async () => {
    await store?.close();
    await rm(dir, {recursive: true, force: true});
  });

  async function openStore(): Promise<{log: Logger; opened: HistoryStore}> {
    dir = await mkdtemp(path.join(os.tmpdir(), "yss-short-"));
    const log = new Logger({level: "error"});
    const opened = new HistoryStore({
      file: path.join(dir, "history.sqlite"),
      dataDir: dir,
      log,
      busyTimeoutMs: 1000,
      timeZone: "UTC",
    });
    store = opened;
    await opened.open();
    return {log, opened};
  }

  it("is not written back by a card title that arrives after it closed", async () => {
    const {log, opened} = await openStore();
    // Yoto names the card only once the play has stopped (a slow answer, a busy machine).
    let answer: ((title: string) => void) | undefined;
    const titles = new CardTitles({
      familyCards: async () => [],
      cardSummary: () => new Promise((resolve) => (answer = (title) => resolve({title}))),
    });
    const tracker = new SessionTracker({store: opened, titles, log, closed() {}, checkpointed() {}, wrote() {}});

    // A stale "playing" seen as the player comes back, then at once what it really does.
    tracker.observe(player("playing", "songs"), AT);
    tracker.observe(player("stopped", null), AT);
    await vi.waitFor(() => expect(answer).toBeDefined());
    answer?.("Songs");
    // Time for a write the title would start (one row in a local file takes a few ms).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await tracker.endAll();

    expect(await opened.sessions({limit: 10})).toEqual([]);
  });

  it("is not listed while its row waits to be removed (the store behind on a busy machine)", async () => {
    const {log, opened} = await openStore();
    // The removal of the forgotten play's row is held until the test lets it through.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const remove = opened.remove.bind(opened);
    opened.remove = async (id) => {
      await held;
      return remove(id);
    };
    const titles = new CardTitles({familyCards: async () => [], cardSummary: async () => ({title: "Songs"})});
    const tracker = new SessionTracker({store: opened, titles, log, closed() {}, checkpointed() {}, wrote() {}});
    tracker.observe(player("playing", "songs"), AT);
    tracker.observe(player("stopped", null), AT);
    await vi.waitFor(async () => expect(await opened.sessions({limit: 10})).toHaveLength(1));

    expect(await sessionsPage(opened, {limit: 10}, tracker.unsettled())).toEqual({sessions: []});
    release();
    await vi.waitFor(async () => expect(await opened.sessions({limit: 10})).toEqual([]));
    await tracker.endAll();
  });
});
