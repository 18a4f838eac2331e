import {afterEach, describe, expect, it, vi} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {untilFirstItem} from "../../../src/streams/firstItem.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("waiting for a queue's first track", () => {
  it("ends at once when the listener who asked leaves: no timer and no subscription is left behind", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout"]});
    const bus = new EventBus(new Logger({level: "error"}));
    const gone = new AbortController();
    const waiting = untilFirstItem(bus, "book", 30_000, gone.signal);
    expect(vi.getTimerCount()).toBe(1);
    expect(bus.listenerCount("stream.changed")).toBe(1);

    gone.abort();
    await waiting;
    expect(vi.getTimerCount()).toBe(0);
    expect(bus.listenerCount("stream.changed")).toBe(0);
    expect(bus.listenerCount("stream.addProgress")).toBe(0);
  });

  it("does not wait at all for a listener already gone", async () => {
    vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout"]});
    const bus = new EventBus(new Logger({level: "error"}));
    await untilFirstItem(bus, "book", 30_000, AbortSignal.abort());
    expect(vi.getTimerCount()).toBe(0);
    expect(bus.listenerCount("stream.changed")).toBe(0);
  });

  it("still ends with the first track for a listener who stays", async () => {
    const bus = new EventBus(new Logger({level: "error"}));
    const waiting = untilFirstItem(bus, "book", 30_000, new AbortController().signal);
    bus.emit("stream.changed", {name: "book", version: 2, reason: "append", items: 1});
    await waiting;
    expect(bus.listenerCount("stream.changed")).toBe(0);
  });
});
