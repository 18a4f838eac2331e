import {describe, expect, it} from "vitest";
import {changedChild, changedPlayer, linkGone, quietPlayer} from "../../../ui/src/child/child-live.js";

/** What a stream may carry instead of the payload: none (an older service), or anything mangled. */
const ODD: unknown[] = [undefined, null, {}, [], "x", 3, {player: null}, {player: {id: 7}}, {child: 1}, {playerId: {}}];

describe("the child's page reading its live events", () => {
  it.each(ODD)("reads a payload of another shape (%j) as nothing, and never throws", (payload) => {
    expect(changedPlayer(payload)).toBeUndefined();
    expect(changedChild(payload)).toBeUndefined();
    expect(quietPlayer(payload)).toBeUndefined();
  });

  it("reads a player's change as what the page draws of it, with parts missing", () => {
    expect(changedPlayer({player: {id: "mini", online: true, playback: {status: "playing", cardId: "songs"}}})).toEqual(
      {id: "mini", drawn: "true|playing|songs||16", playing: true},
    );
    expect(changedPlayer({player: {id: "mini", playback: "?"}})).toEqual({
      id: "mini",
      drawn: "undefined|undefined|||16",
      playing: false,
    });
    expect(changedChild({child: "Mia"})).toBe("Mia");
    expect(quietPlayer({playerId: "mini", player: "Bedroom Mini"})).toBe("mini");
  });

  it("tells a revoked link, or its child removed, from a fault", () => {
    // As the page's ApiError carries it.
    const refusal = (status: number, code: string) => Object.assign(new Error("…"), {status, code});
    expect(linkGone(refusal(401, "device_link_revoked"))).toBe(true);
    expect(linkGone(refusal(401, "device_link_child_gone"))).toBe(true);
    expect(linkGone(refusal(503, "family_plan_down"))).toBe(false);
    expect(linkGone(refusal(401, "sign_in"))).toBe(false);
    expect(linkGone(new TypeError("Failed to fetch"))).toBe(false);
  });
});
