import {describe, expect, it} from "vitest";
import {forDevice} from "../../../src/http/deviceEvents.js";
import type {PlayerState} from "../../../src/shared/api/players.js";

const family = {pagePlayers: (child: string) => (child === "Mia" ? ["mini"] : child === "Ben" ? ["living"] : [])};
const player = (id: string) => ({id, name: id}) as unknown as PlayerState;

describe("what a tablet's device link receives of an event", () => {
  it("its own child's players, plan and quiet, with the payload the panel gets", () => {
    const changed = {player: player("mini"), changed: ["playback"]};
    expect(forDevice(family, "Mia", "player.changed", changed)).toBe(changed);
    expect(forDevice(family, "mia", "family.changed", {child: "Mia"})).toEqual({child: "Mia"});
    expect(forDevice(family, "Mia", "quiet.changed", {playerId: "mini", player: "Bedroom Mini"})).toEqual({
      playerId: "mini",
      player: "Bedroom Mini",
    });
    expect(forDevice(family, "Mia", "player.removed", {id: "mini", name: "Bedroom Mini"})).toEqual({
      id: "mini",
      name: "Bedroom Mini",
    });
  });

  it("nothing of another child's, and a stream's or a picture's change without what changed", () => {
    expect(
      forDevice(family, "Mia", "player.changed", {player: player("living"), changed: ["playback"]}),
    ).toBeUndefined();
    expect(forDevice(family, "Mia", "player.added", {player: player("living")})).toBeUndefined();
    expect(forDevice(family, "Mia", "family.changed", {child: "Ben"})).toBeUndefined();
    expect(forDevice(family, "Mia", "quiet.changed", {playerId: "living", player: "Living Room"})).toBeUndefined();
    expect(forDevice(family, "Mia", "stream.changed", {name: "bens", version: 2, reason: "added", items: 3})).toEqual(
      {},
    );
    expect(forDevice(family, "Mia", "pictures.changed", {item: "card:bens"})).toEqual({});
  });

  it("nothing of a player when the plan cannot say whose it is", () => {
    const down = {
      pagePlayers: (): string[] => {
        throw new Error("the family plan did not load");
      },
    };
    expect(forDevice(down, "Mia", "player.changed", {player: player("mini"), changed: []})).toBeUndefined();
  });

  it("a player that stops being the child's (a sibling took it) reaches the tablet once as {}, by whichever event comes next", () => {
    let mias = ["mini", "living"];
    const shared = {pagePlayers: (child: string) => (child === "Mia" ? mias : [])};
    const shown = new Set(["mini", "living"]);
    // Ben takes the Living Room: the family.changed is his, but Mia's tablet learns that something changed.
    mias = ["mini"];
    expect(forDevice(shared, "Mia", "family.changed", {child: "Ben"}, shown)).toEqual({});
    expect([...shown]).toEqual(["mini"]);
    // Told once: what plays there for Ben from now on is nothing of Mia's.
    expect(forDevice(shared, "Mia", "player.changed", {player: player("living"), changed: ["playback"]}, shown)).toBe(
      undefined,
    );
    // Back to Mia: shown again, and told again when taken again.
    mias = ["mini", "living"];
    const back = {player: player("living"), changed: ["playback"]};
    expect(forDevice(shared, "Mia", "player.changed", back, shown)).toBe(back);
    mias = ["mini"];
    expect(forDevice(shared, "Mia", "player.changed", back, shown)).toEqual({});
  });
});
