import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("a tap on the cover of what plays", () => {
  it("pauses it where it is, and a tap on it paused goes on from there, never from the first chapter", async () => {
    const chapter = (n: number) => ({
      key: `0${n}`,
      title: `Tale ${n}`,
      tracks: [{key: "01", title: `Tale ${n}`, trackUrl: "yoto:#x", type: "audio" as const, duration: 300}],
    });
    const {t} = await startLinked({
      prepare: (s) => s.addCard({cardId: "tales", title: "Tales", content: {chapters: [1, 2, 3].map(chapter)}}),
    });
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    expect(
      (await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], shelf: ["Tales"]})).status,
    ).toBe(200);
    const mini = () => t.app.players.get(MINI).playback;
    // A tap within the cool-down of the one before is answered "busy" and does nothing: tap again once it is over.
    const tap = async () => {
      for (;;) {
        const answer = await call("POST", `${t.adminUrl}/api/children/Mia/shelf/play`, {id: "card:tales"});
        if (answer.body.outcome !== "busy") return answer.body;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const shelfPlayer = async () => (await call("GET", `${t.adminUrl}/api/children/Mia/shelf`)).body.player;

    expect(await tap()).toMatchObject({outcome: "played"});
    await waitFor(() => mini().cardId === "tales" && mini().status === "playing", "Tales playing on the Mini");
    // On to the second chapter: a restart would show the first again.
    expect((await call("POST", `${t.adminUrl}/api/children/Mia/shelf/control`, {action: "next"})).body.outcome).toBe(
      "done",
    );
    await waitFor(() => mini().chapterKey === "02", "the second chapter");
    expect(await shelfPlayer()).toMatchObject({item: "card:tales", status: "playing"});

    const commands = t.app.players.stats.commands;
    expect(await tap()).toEqual({outcome: "paused", text: "'Tales' paused on 'Bedroom Mini'"});
    await waitFor(() => mini().status === "paused", "Tales paused");
    expect(t.app.players.stats.commands - commands).toBe(1);
    expect(mini()).toMatchObject({cardId: "tales", chapterKey: "02"});
    expect(await shelfPlayer()).toMatchObject({item: "card:tales", status: "paused"});

    expect(await tap()).toEqual({outcome: "played", text: "'Tales' goes on on 'Bedroom Mini'"});
    await waitFor(() => mini().status === "playing", "Tales going on");
    expect(mini()).toMatchObject({cardId: "tales", chapterKey: "02"});
    expect(t.app.players.stats.commands - commands).toBe(2);
  }, 60_000);
});
