import {describe, expect, it} from "vitest";
import {waitFor} from "../../helpers/players.js";
import {readEvents} from "../../helpers/sse.js";
import {tabletFamily} from "../../helpers/tabletFamily.js";

const family = tabletFamily();

const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
const LIVING = "y7s9dk3mqp2x8v4n1c6b0zlq";

/** A quiet hours end three hours from now, as the family's clock reads it ("HH:MM"). */
function inThreeHours(): string {
  const at = new Date(Date.now() + 3 * 3_600_000);
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}

describe("a tablet's live events with a device link", () => {
  it("carry its own child's players, plan and quiet with their payloads, and nothing of another child's", async () => {
    const f = await family();
    const {t, sim} = f;
    await f.addChild("Mia", "Bedroom Mini");
    await f.addChild("Ben", "Living Room");
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const link = await f.link("Mia", "Wall tablet");
    const mias = readEvents(`${t.adminUrl}/api/events?device=${link.token}`);
    try {
      await mias.opened;
      const level = (id: string) => t.app.players.list().find((p) => p.id === id)?.volume.level;

      // Ben's day first, each seen by the service (its event sent, or held back) before Mia's.
      const bens = level(LIVING);
      sim.player(LIVING).turnKnob(bens !== undefined && bens !== null && bens > 8 ? -2 : 2);
      await waitFor(() => level(LIVING) !== bens, "Ben's Yoto turned");
      expect((await f.send("POST", `/api/players/${LIVING}/quiet`, {body: {until: inThreeHours()}})).status).toBe(200);
      expect((await f.send("PUT", "/api/children/Ben", {body: {players: ["Living Room"], shelf: []}})).status).toBe(
        200,
      );

      const mine = level(MINI);
      sim.player(MINI).turnKnob(mine !== undefined && mine !== null && mine > 8 ? -2 : 2);
      await waitFor(() => level(MINI) !== mine, "Mia's Yoto turned");
      expect((await f.send("PUT", "/api/children/Mia", {body: {players: ["Bedroom Mini"], shelf: []}})).status).toBe(
        200,
      );
      expect((await f.send("POST", `/api/players/${MINI}/quiet`, {body: {until: inThreeHours()}})).status).toBe(200);
      await waitFor(
        () => mias.seen.some((e) => e.event === "quiet.changed" && (e.data as {until?: string}).until !== undefined),
        "quiet starting on Mia's Yoto followed",
      );

      const of = (name: string) => mias.seen.filter((e) => e.event === name).map((e) => e.data);
      // What Mia's page draws from, as the panel gets it.
      const players = of("player.changed") as Array<{player: {id: string; name: string}; changed: string[]}>;
      expect(players.length).toBeGreaterThan(0);
      expect(new Set(players.map((p) => p.player.id))).toEqual(new Set([MINI]));
      expect(players.some((p) => p.changed.includes("volume"))).toBe(true);
      expect(of("family.changed").length).toBeGreaterThan(0);
      expect(new Set(of("family.changed"))).toEqual(new Set([{child: "Mia"}]));
      expect(of("quiet.changed")).toContainEqual(expect.objectContaining({playerId: MINI, player: "Bedroom Mini"}));
      // Nothing of Ben's, anywhere in the stream, nor anything the tablet's page does not follow.
      const all = JSON.stringify(mias.seen);
      for (const word of [LIVING, "Living Room", "Ben"]) expect(all).not.toContain(word);
      const followed = ["hello", "player.changed", "family.changed", "quiet.changed", "stream.changed"];
      expect(mias.seen.map((e) => e.event).filter((e) => !followed.includes(e))).toEqual([]);
    } finally {
      mias.close();
    }
  }, 60_000);
});
