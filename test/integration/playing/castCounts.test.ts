import {describe, expect, it} from "vitest";
import type {ListeningSession} from "../../../src/shared/api/history.js";
import {DmrLikeDevice, trackDidl, trackServer, xmlText} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

const WHY = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";

describe("a cast passes the play gate as every other route does", () => {
  it("counts toward the child's day and shows in the history; with the day used, the next cast is refused and journalled", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true, timeZone: "UTC"});
    // Ben has a minute a day (its warning has nothing to say on the player).
    const plan = await call("PUT", `${s.t.adminUrl}/api/children/Ben`, {
      players: ["Bedroom Mini"],
      budget: {minutes: 1},
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const ma = await trackServer({fox: {seconds: 75, frequency: 440}, owl: {seconds: 5, frequency: 550}});
    const dmr = await DmrLikeDevice.open(s.base);
    const used = () => s.t.app.family.child("Ben").quiet_reason === "budget";
    // The plan's warning (a minute or less left) is said on the Mini and ends the cast under way, as an
    // announcement ends any stream: the family casts again until the minute is used.
    for (let casts = 0; !used(); casts++) {
      expect(casts, "casts before Ben's minute was used").toBeLessThan(5);
      const set = await dmr.call("SetAVTransportURI", {
        CurrentURI: xmlText(ma.url("fox")),
        CurrentURIMetaData: xmlText(trackDidl(ma.url("fox"), "The Moon Fox")),
      });
      if (set.code === 701) break;
      expect(set.status, set.error).toBe(200);
      const played = await dmr.call("Play", {Speed: "1"});
      if (played.code === 701) break;
      await waitFor(() => dmr.state.TransportState === "PLAYING" || used(), "the cast playing");
      await waitFor(
        () => dmr.state.TransportState !== "PLAYING" || used(),
        "the cast over, or Ben's day used",
        120_000,
      );
    }
    // A minute of casts is Ben's minute: the plan holds the Mini for the rest of the day.
    await waitFor(used, "Ben's day used by the casts", 30_000);
    // The child's view counts the cast as it plays; the plan holds the Mini at its next pass (on the
    // minute, or when the listening is written), and the Mini's quiet hours begin.
    await waitFor(() => s.t.app.quietHours.period(MINI) !== undefined, "the Mini quiet", 90_000);
    // A minute of casts, and what played until that pass: the pass comes on the minute, so by the
    // wall clock's phase the day counts one minute or, rounded, two (never more, never none).
    expect([1, 2]).toContain(s.t.app.family.child("Ben").minutes_used);
    const sessions = await call("GET", `${s.t.adminUrl}/api/history/sessions?player=${MINI}`);
    const titles = (sessions.body.sessions as ListeningSession[]).map((x) => x.chapterTitle);
    expect(titles).toContain("The Moon Fox");

    // The next cast: refused at once (701), said in the child's journal once, nothing sent to the player.
    const refused = await dmr.call("SetAVTransportURI", {
      CurrentURI: xmlText(ma.url("owl")),
      CurrentURIMetaData: xmlText(trackDidl(ma.url("owl"), "The Owl")),
    });
    expect(refused.code).toBe(701);
    expect(refused.error).toBe(WHY);
    expect((await dmr.call("Play", {Speed: "1"})).code).toBe(701);
    expect((await journalRefusals(s.t)).map((e) => e.text)).toEqual([
      `'The Owl', cast from Home Assistant, Music Assistant or another app, was not played: ${WHY}`,
    ]);
    expect(s.sim.player(MINI).fetches.filter((f) => f.url.includes("owl"))).toEqual([]);
  }, 180_000);
});
