import {Transform} from "node:stream";
import {AppError} from "../core/errors.js";

export interface DownloadLimits {
  /** Nothing arriving for this long gives the download up. */
  idleMs: number;
  /** The whole track must have arrived this long after its fetch began. */
  deadlineMs: number;
  /** When the fetch began (asking included): the deadline counts from there. */
  startedAt: number;
}

/**
 * Passes a track's body through, failing it when the server stops sending (nothing for `idleMs`)
 * or is still sending at the deadline. The idle limit alone is not enough: a server dripping a
 * byte every 20 s is never idle for 30 s, and would hold the fetch (and whoever queued the track)
 * for ever.
 */
export function downloadGuard(limits: DownloadLimits, title: string): Transform {
  let idle: NodeJS.Timeout;
  const guard = new Transform({
    transform(chunk, _enc, done) {
      idle.refresh();
      done(null, chunk);
    },
    flush(done) {
      clearTimers();
      done();
    },
  });
  idle = setTimeout(
    () =>
      guard.destroy(
        new AppError(
          "source_stalled",
          `The media server stopped sending '${title}' (nothing for ${duration(limits.idleMs)})`,
          {status: 504, expose: true},
        ),
      ),
    limits.idleMs,
  );
  const deadline = setTimeout(
    () =>
      guard.destroy(
        new AppError(
          "source_too_slow",
          `The media server did not send all of '${title}' within ${duration(limits.deadlineMs)}: it was given up (a server that sends this slowly cannot feed a stream)`,
          {status: 504, expose: true},
        ),
      ),
    Math.max(0, limits.startedAt + limits.deadlineMs - Date.now()),
  );
  const clearTimers = () => {
    clearTimeout(idle);
    clearTimeout(deadline);
  };
  guard.on("close", clearTimers);
  return guard;
}

/** "0.5 s", "30 s", "15 minutes". */
function duration(ms: number): string {
  if (ms < 120_000) return `${ms / 1000} s`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minutes`;
}
