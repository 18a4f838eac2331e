import type {Resumable} from "../announce/resumable.js";
import {totalLength} from "../streams/slice.js";
import type {CastTrack} from "./castTrack.js";
import type {QueueRun} from "./queueRun.js";

/**
 * Tracks kept for Previous and REPEAT_ALL; older ones are let go. A cast from a URL keeps only its
 * item once it stops being heard (it is opened again to play); a library track converted from a
 * small file keeps its MP3 in memory (a 3-minute song is about 3 MB), so a few.
 */
const KEPT_TRACKS = 8;
/** And at most this much audio in all. */
const MAX_KEPT_BYTES = 192 * 1024 * 1024;

/** More tracks are kept than Previous and the repeats need: the oldest goes. */
export function keptTooMany(tracks: CastTrack[]): boolean {
  return tracks.length > KEPT_TRACKS || (tracks.length > 1 && keptBytes(tracks) > MAX_KEPT_BYTES);
}

function keptBytes(tracks: CastTrack[]): number {
  return tracks.reduce((sum, t) => sum + (t.audio.live ? t.audio.live.held : totalLength(t.segments)), 0);
}

/** What a queue's run is to the announcer: one it plays over and puts back where it was. */
export function resumableRun(
  run: QueueRun,
  queue: {run(): QueueRun | undefined; title(): string; halt(): void},
  told: {
    announcedOver(): void;
    abandoned(title: string, why: string): void;
    changed(): void;
    shownPaused?(): boolean;
  },
): Resumable {
  return {
    title: () => queue.title(),
    over: () => queue.run() !== run || run.over,
    paused: () => told.shownPaused?.() === true,
    // Next, Previous or a seek made a newer run of the same queue: it plays once the announcement ends.
    goesOn: () => {
      const now = queue.run();
      return now && now !== run && !now.over ? queue.title() : undefined;
    },
    interrupt: () => {
      run.interrupt();
      told.announcedOver();
      told.changed();
    },
    abandon: (why) => {
      // A run replaced meanwhile (Next, a seek) is no longer what the announcement held.
      if (queue.run() !== run) return;
      const title = queue.title();
      queue.halt();
      told.abandoned(title, why);
      told.changed();
    },
  };
}
