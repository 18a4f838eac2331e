import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PIN_LIMITS, PinTries} from "../../../src/deviceLinks/pinTries.js";
import {Store} from "../../../src/store/store.js";
import {tempDir} from "../../helpers/tmp.js";

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop();
});

/** PinTries on a real state database, on a clock the test moves. */
async function open(dir: string, clock: {now: number}) {
  const store = new Store(dir, new Logger({sink: () => {}}));
  await store.start();
  stores.push(store);
  const tries = new PinTries(store, () => clock.now);
  await tries.start();
  return {store, tries};
}

const kitchen = {tablet: "kitchen", address: "192.168.1.40"};
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: Error & {retryAfterSeconds?: number}) => ({message: err.message, wait: err.retryAfterSeconds}),
  );

describe("the PIN's tries over time", () => {
  it("gives a tablet its minute's tries back a minute after each, and stops it for the day after 50", async () => {
    const dir = await tempDir();
    const clock = {now: Date.parse("2026-11-28T08:00:00Z")};
    const {tries} = await open(dir, clock);
    for (let i = 0; i < PIN_LIMITS.tablet.minute; i++) await tries.take(kitchen);
    clock.now += 20_000;
    expect(await refusal(tries.take(kitchen))).toEqual({
      message:
        "Too many PIN tries on this tablet (5 a minute): try again in 40 s, or unlock the tablet from a parent's signed-in browser",
      wait: 40,
    });
    clock.now += 40_000;
    expect(await refusal(tries.take(kitchen))).toBeUndefined();
    // Five a minute, on addresses of its own each time (a tablet moving around the network), to 50.
    let taken = PIN_LIMITS.tablet.minute + 1;
    while (taken < PIN_LIMITS.tablet.day) {
      clock.now += 60_000;
      for (let i = 0; i < PIN_LIMITS.tablet.minute && taken < PIN_LIMITS.tablet.day; i++, taken++)
        await tries.take({tablet: "kitchen", address: `192.168.1.${taken}`});
    }
    clock.now += 60_000;
    const day = await refusal(tries.take(kitchen));
    expect(day?.message).toMatch(
      /^Too many PIN tries on this tablet \(50 a day\): try again in 2\d h, or unlock the tablet from a parent's signed-in browser$/,
    );
    // Another tablet is not held by the kitchen's day.
    expect(await refusal(tries.take({tablet: "bedroom", address: "192.168.1.41"}))).toBeUndefined();
  });

  it("keeps every try taken across a restart, and forgets those older than a day when it starts", async () => {
    const dir = await tempDir();
    const clock = {now: Date.parse("2026-11-28T08:00:00Z")};
    const first = await open(dir, clock);
    for (let i = 0; i < 5; i++) await first.tries.take(kitchen);
    await first.store.stop();
    const second = await open(dir, clock);
    expect((await refusal(second.tries.take(kitchen)))?.wait).toBe(60);
    await second.store.stop();
    clock.now += 24 * 3600_000;
    const third = await open(dir, clock);
    expect(await third.store.entries("parent_pin_tries")).toEqual([]);
    expect(await refusal(third.tries.take(kitchen))).toBeUndefined();
  });
});
