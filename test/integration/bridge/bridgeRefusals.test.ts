import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();

describe("what the bridge refuses", () => {
  it("refuses a bonus request's invalid minutes as the admin API does, in the same words, and grants the minutes asked", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2, "players");
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    const ask = async (body: Record<string, unknown>, transaction: number) => {
      await w.client.publishAsync(
        "yoto/bridge/request/family/bonus",
        JSON.stringify({child: "Mia", ...body, transaction}),
      );
      await waitFor(
        () => w.lastJson("yoto/bridge/response/family/bonus")?.transaction === transaction,
        `the answer to ${transaction}`,
      );
      return w.lastJson("yoto/bridge/response/family/bonus");
    };
    for (const [i, body] of [{minutes: "lots"}, {minutes: 0}, {minutes: 2.5}, {minute: 5}].entries()) {
      const http = await call("POST", `${t.adminUrl}/api/children/Mia/bonus`, body);
      expect(http.status).toBe(400);
      const answer = await ask(body, i + 1);
      expect(answer).toMatchObject({status: "error", error: (http.body as {error: string}).error});
    }
    expect((await ask({minutes: "lots"}, 9)).error).toBe(
      `'minutes' must be a whole number of minutes from 1 to 240 (got "lots")`,
    );
    // None of those granted anything; the minutes asked are the minutes given.
    expect((await call("GET", `${t.adminUrl}/api/children/Mia`)).body).toMatchObject({bonus: null});
    expect(await ask({minutes: 40}, 10)).toMatchObject({status: "ok", data: {bonus: {minutes: 40}}});
  }, 30_000);

  it("writes the first five of a flood of refused messages and then how many more, once, and again for the next flood", async () => {
    const {t, watcher: w} = await startLinked({app: {floodWindowMs: 3000}});
    const lines = (text: string) => t.logs.filter((l) => l.includes(text));
    const flood = async () => {
      for (let i = 0; i < 300; i++) {
        void w.client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({volume: 99, transaction: i}));
        void w.client.publishAsync(`yoto/${LIVING}/media/set/volume`, "0x1");
      }
      await w.handledSoFar();
    };
    await flood();
    // Every message was still answered; only the log is spared.
    expect(w.seen.filter((m) => m.topic === "yoto/bridge/response/player/set").length).toBe(300);
    await waitFor(() => lines("more like it").length === 2, "the two summaries", 10_000);
    expect(lines(`Ignored 'yoto/${LIVING}/set': 'volume' must be`)).toHaveLength(5);
    expect(lines("Ignored the media player's 'volume'")).toHaveLength(5);
    expect(lines("more like it").map((l) => l.slice(l.indexOf("…")))).toEqual(
      expect.arrayContaining([
        "… and 295 more like it in the last 3 s (refused set messages)",
        "… and 295 more like it in the last 3 s (refused media player commands)",
      ]),
    );

    // A later flood is a new one: its first five are written again.
    await flood();
    await waitFor(() => lines("more like it").length === 4, "the next summaries", 10_000);
    expect(lines(`Ignored 'yoto/${LIVING}/set': 'volume' must be`)).toHaveLength(10);
  }, 40_000);

  it("writes the first five of a flood of refused announcements and then how many more, not a line each", async () => {
    const {t, watcher: w} = await startLinked({app: {floodWindowMs: 3000}});
    await waitFor(() => t.app.players.list().length === 2, "players");
    const failed = () => t.logs.filter((l) => l.includes("Announcement on 'Living Room' failed:"));
    // One plays and ten wait; every other one is refused as the queue is full.
    for (let i = 0; i < 300; i++) void w.client.publishAsync(`yoto/${LIVING}/set/announce`, `Message number ${i}`);
    await w.handledSoFar();
    const summaryOf = () => t.logs.find((l) => l.includes("more like it") && l.includes("(failed announcements)"));
    await waitFor(() => summaryOf() !== undefined, "the announcements' summary", 10_000);
    const summary = summaryOf() ?? "";
    const more = Number(/… and (\d+) more like it in the last 3 s \(failed announcements\)/.exec(summary)?.[1]);
    expect(more).toBeGreaterThanOrEqual(300 - 11 - 5);
    expect(failed().length).toBeLessThanOrEqual(10);
    expect(failed()[0]).toContain("Announcement on 'Living Room' failed: ");
  }, 40_000);
});
