import {describe, expect, it} from "vitest";
import {ConverterSlots} from "../../../src/upnpRenderers/converterSlots.js";

describe("the renderers' converter slots", () => {
  it("keeps each renderer and all of them to their ceilings, first come first served, and counts releases once", async () => {
    const slots = new ConverterSlots(2, 3, 60_000);
    const a1 = await slots.take("a");
    const a2 = await slots.take("a");
    let a3: (() => void) | undefined;
    void slots.take("a").then((release) => {
      a3 = release;
    });
    // A's third waits for A, not for B, which still has room in all.
    const b1 = await slots.take("b");
    expect(slots.count()).toBe(3);
    expect(slots.count("a")).toBe(2);
    a1();
    a1();
    await Promise.resolve();
    expect(a3).toBeDefined();
    expect(slots.count("a")).toBe(2);
    a2();
    b1();
    a3?.();
    expect(slots.count()).toBe(0);
  });

  it("refuses after its wait with the reason, and leaves the queue when the cast is called off", async () => {
    const slots = new ConverterSlots(1, 2, 20);
    await slots.take("a");
    await expect(slots.take("a")).rejects.toThrow(
      "This player already converts 1 tracks (the one playing and the next): try again once one has ended",
    );
    await slots.take("b");
    await expect(slots.take("c")).rejects.toThrow(
      "2 casts are being converted on the players already, as many as run at once: stop one, then try again",
    );
    const off = new AbortController();
    const waiting = slots.take("c", off.signal);
    off.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
  });
});
