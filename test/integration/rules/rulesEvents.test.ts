import {afterEach, describe, expect, it, vi} from "vitest";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";
import {startEngine} from "../../helpers/rules.js";

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

const base = newPlayer({deviceId: "y7s9", name: "Living Room", deviceFamily: "v3", deviceType: "v3", online: true});
const with_ = (p: PlayerState, change: Partial<PlayerState>): PlayerState => ({...p, ...change});

/** Emit a player change the way the cloud client does. */
function change(previous: PlayerState, player: PlayerState): void {
  const changed = Object.keys(player).filter(
    (k) => JSON.stringify(player[k as keyof PlayerState]) !== JSON.stringify(previous[k as keyof PlayerState]),
  );
  stack!.bus.emit("player.changed", {player, previous, changed});
}

const results = (id: string) =>
  stack!.engine
    .traces(id)
    .map((t) => t.result)
    .reverse();

describe("event triggers fire exactly when they should", () => {
  it("player (from/to/for), volume (crossing), card (physical only), button and story", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "Date"]});
    stack = await startEngine({
      "r.yaml": `
- id: started_playing
  triggers: [{trigger: player, player: living room, to: playing, for: {seconds: 30}}]
  actions: [{action: log, message: "{{ trigger.from_state }} → {{ trigger.to_state }}"}]
- id: loud
  mode: queued
  triggers: [{trigger: volume, above: 12}]
  actions: [{action: log, message: "loud {{ trigger.to }}"}]
- id: card_in
  triggers: [{trigger: card, card: abc12}]
  actions: [{action: log, message: "card {{ trigger.card_id }} in {{ trigger.player }}"}]
- id: right_press
  triggers: [{trigger: button, button: right, story: dragon}]
  actions: [{action: log, message: "right"}]
- id: cave
  triggers: [{trigger: story, story: dragon, scene: cave}]
  actions: [{action: log, message: "cave from {{ trigger.from }}"}]
`,
    });
    const playing = with_(base, {playback: {status: "playing", cardId: "abc12", source: "card"}});
    // Playing for 10 s then paused: `for: 30 s` must not fire.
    change(base, playing);
    await vi.advanceTimersByTimeAsync(10_000);
    change(playing, with_(playing, {playback: {...playing.playback, status: "paused"}}));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(results("started_playing")).toEqual([]);
    change(with_(playing, {playback: {...playing.playback, status: "paused"}}), playing);
    await vi.advanceTimersByTimeAsync(30_000);
    await vi.waitFor(() => expect(results("started_playing")).toEqual(["completed"]));
    expect(stack.engine.traces("started_playing")[0]?.trigger).toMatchObject({
      from_state: "paused",
      to_state: "playing",
      for_seconds: 30,
    });

    // The physical insert above fired the card rule once; a remote start of the same card does not.
    expect(results("card_in")).toEqual(["completed"]);
    change(base, with_(base, {playback: {status: "playing", cardId: "abc12", source: "remote"}}));

    const vol = (level: number) => with_(base, {volume: {level, max: 16}});
    for (const [from, to] of [
      [10, 12],
      [12, 13],
      [13, 15],
      [15, 11],
      [11, 14],
    ])
      change(vol(from as number), vol(to as number));
    await vi.waitFor(() => expect(results("loud")).toEqual(["completed", "completed"]));
    expect(
      stack.engine
        .traces("loud")
        .map((t) => t.trigger.to)
        .reverse(),
    ).toEqual([13, 14]);

    stack.bus.emit("player.buttonPressed", {playerId: "y7s9", player: "Living Room", button: "left", story: "dragon"});
    stack.bus.emit("player.buttonPressed", {playerId: "y7s9", player: "Living Room", button: "right", story: "other"});
    stack.bus.emit("player.buttonPressed", {playerId: "y7s9", player: "Living Room", button: "right", story: "dragon"});
    stack.bus.emit("story.sceneEntered", {playerId: "y7s9", player: "Living Room", story: "dragon", scene: "forest"});
    stack.bus.emit("story.sceneEntered", {
      playerId: "y7s9",
      player: "Living Room",
      story: "dragon",
      scene: "cave",
      from: "start",
    });
    await vi.waitFor(() =>
      expect([results("right_press"), results("cave"), results("card_in")]).toEqual([
        ["completed"],
        ["completed"],
        ["completed"],
      ]),
    );
    expect(stack.lines.some((l) => l.includes("[cave] cave from start"))).toBe(true);
  });
});
