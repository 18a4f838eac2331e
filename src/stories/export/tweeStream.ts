import {Readable} from "node:stream";
import {setImmediate as nextTurn} from "node:timers/promises";
import type {Story} from "../../shared/api/stories.js";
import {refuseInk, tweePieces} from "./twee.js";

/**
 * How long the export works before other requests get the event loop: a tenth of the 100 ms a
 * request may wait, so even a slow machine's longest step keeps well within it.
 */
const SLICE_MS = 10;

/**
 * The story as a Twee 3 file (the same bytes as storyToTwee), written a slice of time at a time:
 * after each slice the event loop takes its other work (a health check, a player's next scene)
 * before the export goes on. A 2,000-passage export held the loop half a second when written at
 * once (issue #86). The stream is read as the client takes it: a slow download holds no more than
 * a slice's text. An ink story is refused here, before a byte is sent (409).
 */
export function tweeStream(story: Story, opts: {sliceMs?: number} = {}): Readable {
  refuseInk(story);
  return Readable.from(sliced(tweePieces(story), opts.sliceMs ?? SLICE_MS), {objectMode: false});
}

/** The pieces gathered into one chunk per slice of `sliceMs`, the loop let go between slices. */
async function* sliced(pieces: Iterator<string | undefined>, sliceMs: number): AsyncGenerator<Buffer> {
  let text = "";
  let started = performance.now();
  for (let piece = pieces.next(); !piece.done; piece = pieces.next()) {
    if (piece.value) text += piece.value;
    if (performance.now() - started < sliceMs) continue;
    if (text) yield Buffer.from(text);
    text = "";
    // Handing a chunk on is not letting go: the stream asks for the next one at once. A turn of the
    // event loop is, timers and sockets included.
    await nextTurn();
    started = performance.now();
  }
  if (text) yield Buffer.from(text);
}
