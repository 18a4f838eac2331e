import type {EventBus} from "../core/events.js";
import "./types.js";

/**
 * How long a request for a stream whose first tracks are still being made waits for the first.
 * Making one is an ffmpeg pass, about a second for every 15 s of audio on a two-core machine: a song
 * of a few minutes is in well before this. Players wait this long for an answer; after it they get
 * what an empty queue plays (a moment of silence), as before.
 */
export const FIRST_ITEM_WAIT_MS = 30_000;

/**
 * Resolves once stream `name` has an item, nothing more is on its way into it (every track failed,
 * or the queue was cleared), it is deleted, `ms` passed, or `gone` aborted (the listener who asked
 * left: its wait, its timer and its subscriptions go at once, not when the track comes). Call it in
 * the turn that saw the queue empty with tracks on their way, so no event slips by.
 */
export function untilFirstItem(
  bus: EventBus,
  name: string,
  ms = FIRST_ITEM_WAIT_MS,
  gone?: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const owner = {};
    const done = () => {
      clearTimeout(timer);
      bus.off(owner);
      gone?.removeEventListener("abort", done);
      resolve();
    };
    if (gone?.aborted) {
      resolve();
      return;
    }
    gone?.addEventListener("abort", done, {once: true});
    const timer = setTimeout(done, ms);
    // A waiting request never holds the service up when it stops.
    timer.unref();
    bus.on(owner, "stream.changed", (e) => {
      if (e.name === name && e.items > 0) done();
    });
    bus.on(owner, "stream.addProgress", (e) => {
      if (e.stream === name && !e.under_way) done();
    });
    bus.on(owner, "stream.deleted", (e) => {
      if (e.name === name) done();
    });
  });
}
