import {describe, expect, it} from "vitest";
import type {ShelfAnswer} from "../../../src/shared/api/shelf.js";
import {TAP_COOL_DOWN_MS, TapGate} from "../../../src/shelf/tapGate.js";

describe("a child's taps", () => {
  it("are one play at a time, none again within the cool-down, and never queued", async () => {
    const clock = {now: 1_000_000};
    const gate = new TapGate(() => clock.now);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let plays = 0;
    const play = async (): Promise<ShelfAnswer> => {
      plays++;
      await held;
      return {outcome: "played", text: "ok"};
    };
    const first = gate.once("Mia", play);
    const storm = await Promise.all(Array.from({length: 19}, () => gate.once("Mia", play)));
    expect(storm.every((a) => a.outcome === "busy")).toBe(true);
    // Another child's tap is its own.
    const other = gate.once("Leo", async () => ({outcome: "played", text: "ok"}));
    release();
    expect((await first).outcome).toBe("played");
    expect((await other).outcome).toBe("played");
    expect(plays).toBe(1);

    clock.now += TAP_COOL_DOWN_MS - 1;
    expect((await gate.once("Mia", play)).outcome).toBe("busy");
    clock.now += 1;
    expect((await gate.once("Mia", play)).outcome).toBe("played");
    expect(plays).toBe(2);
  });

  it("does not hold a tap that failed or was refused against the next one", async () => {
    const gate = new TapGate(() => 0);
    await expect(gate.once("Mia", () => Promise.reject(new Error("gone")))).rejects.toThrow("gone");
    expect((await gate.once("Mia", async () => ({outcome: "asleep", text: "bedtime"}))).outcome).toBe("asleep");
    expect((await gate.once("Mia", async () => ({outcome: "played", text: "ok"}))).outcome).toBe("played");
  });
});
