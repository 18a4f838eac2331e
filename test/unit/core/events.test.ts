import {describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";

describe("EventBus", () => {
  it("delivers typed payloads and removes everything an owner subscribed with off(owner)", () => {
    const bus = new EventBus(new Logger({sink: () => {}}));
    class Owner {}
    const owner = new Owner();
    const other = new Owner();
    const seen: string[] = [];
    bus.on(owner, "library.uploaded", (p) => {
      seen.push(`a:${p.title}`);
    });
    bus.on(owner, "library.changed", (p) => {
      seen.push(`b:${p.added}`);
    });
    bus.on(other, "library.uploaded", (p) => {
      seen.push(`c:${p.id}`);
    });
    bus.emit("library.uploaded", {id: "1", title: "Song"});
    bus.off(owner);
    bus.emit("library.uploaded", {id: "2", title: "Later"});
    bus.emit("library.changed", {added: 1, removed: 0, updated: 0});
    expect(seen).toEqual(["a:Song", "c:1", "c:2"]);
    expect(bus.listenerCount("library.changed")).toBe(0);
  });

  it("isolates throwing and rejecting listeners and logs who failed", async () => {
    const lines: string[] = [];
    const bus = new EventBus(new Logger({sink: (l) => lines.push(l)}));
    class Broken {}
    class Healthy {}
    const received: string[] = [];
    bus.on(new Broken(), "library.uploaded", () => {
      throw new Error("boom");
    });
    bus.on(new Broken(), "library.uploaded", async () => {
      throw new Error("async boom");
    });
    bus.on(new Healthy(), "library.uploaded", (p) => {
      received.push(p.id);
    });
    expect(() => bus.emit("library.uploaded", {id: "x", title: "t"})).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(received).toEqual(["x"]);
    expect(lines.filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining("Event listener 'Broken/library.uploaded' failed (boom)"),
      expect.stringContaining("Event listener 'Broken/library.uploaded' failed (async boom)"),
    ]);
  });
});
