import {fileOf, isStreamPath} from "../links/audioPaths.js";
import type {Streams} from "../streams/streams.js";
import {answerRanged, type FastPath, type FastPathDeps, headerValue, plainGet} from "./fastAnswer.js";
import type {FileSender} from "./fileSender.js";
import {finiteSnapshot, servedRequest} from "./routes/streamAudio.js";

const STREAMS = "/streams/";

export interface StreamFastPathDeps extends FastPathDeps {
  streams: Streams;
  sender: FileSender;
}

/**
 * A byte range of a stream — what a player seeking in a stream card asks for, dozens of times in a
 * row — answered without the framework, as audioFastPath answers library files. Through the Koa
 * context, middleware chain and router such a range cost about 1.4 times the CPU of bare Node's
 * and got 0.5–0.8 times its requests a second (bench/streamServing.ts); here it costs what a
 * library file's range does. Only a plain GET of a signed `/streams/<name>.mp3` whose queue has
 * bytes and an end is taken; an unknown stream, a station, an empty or looping queue, a condition,
 * 416, HEAD or a client over the limit goes to `full`, which answers (and logs it) as always.
 */
export function streamFastPath(deps: StreamFastPathDeps): FastPath {
  const {streams, sender, limiter} = deps;
  return (req, res, full) => {
    const name = plainGet(req, deps, (pathname) =>
      isStreamPath(pathname) ? fileOf.stream(pathname.slice(STREAMS.length)) : undefined,
    );
    // An empty queue (perhaps its first tracks still being made) is the full path's: it waits for
    // the first there, once, after the rate limit; waiting here too would double the wait.
    const stream = name !== undefined && streams.has(name) ? streams.get(name) : undefined;
    if (!name || !stream || stream.radio || stream.items.length === 0) return full();
    streams.snapshot(name).then(
      (snap) => {
        if (snap.segments.length === 0 || snap.looping) return full();
        const answer = answerRanged(
          req,
          res,
          finiteSnapshot(snap, sender, () => streams.forget(name)),
          limiter,
        );
        if (!answer) return full();
        streams.record(
          servedRequest(name, snap, {
            client: answer.client,
            userAgent: headerValue(req, "user-agent"),
            method: "GET",
            range: headerValue(req, "range"),
            status: answer.status,
            bytes: answer.length,
          }),
        );
      },
      // The full path answers it as it always has (errorResponses).
      () => full(),
    );
  };
}
