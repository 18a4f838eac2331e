import type {IncomingMessage, ServerResponse} from "node:http";
import {formatBytes} from "../core/bytes.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

/**
 * Listeners leave all the time, and never say so: a Yoto switched off mid-story, a phone leaving
 * the Wi-Fi, a speaker changing source reset or drop their connection at any moment of an answer,
 * before its headers, mid-body, while it is paced or waits for a track. That is ordinary: it costs
 * one debug line here, and the answer's writers see the response closed and let go of what they
 * held. A response's own 'error' (written after its end: a slip of ours, not the client's) is
 * a warning and ends that response, never the service.
 */
export function watchListener(req: IncomingMessage, res: ServerResponse, log: Logger): void {
  const startedAt = performance.now();
  const socket = req.socket;
  const address = socket.remoteAddress ?? "a listener";
  const writtenBefore = socket.bytesWritten;
  res.on("error", (err) => {
    log.warning(`The answer to ${address} for ${pathOf(req)} failed (${errorMessage(err)}); it is closed`);
    res.destroy();
  });
  res.once("close", () => {
    if (res.writableFinished) return;
    log.debug(() => {
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      const answered = res.headersSent
        ? `${res.statusCode}, ${formatBytes(socket.bytesWritten - writtenBefore)} sent`
        : "before its answer";
      return `${address} left ${pathOf(req)} after ${seconds} s (${answered})`;
    });
  });
}

/** Aborts when the response closes before it is complete (the listener left); for waits that should end then. */
export function listenerGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  if (res.destroyed) gone.abort();
  else
    res.once("close", () => {
      if (!res.writableFinished) gone.abort();
    });
  return gone.signal;
}

/** The path alone: the query holds the link's signature, which no log line may show. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
