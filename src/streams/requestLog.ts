import type {StreamRequest} from "./types.js";

const REQUESTS_KEPT = 50;
// Range requests this close to the previous request of the same client and version are one listen.
const RANGES_FOLD_MS = 30_000;

/** The latest requests of each stream, a seeking player's range requests folded into the one they follow. */
export class RequestLog {
  readonly #requests = new Map<string, StreamRequest[]>();

  /**
   * Keep `request` (only while its stream `exists`); answers false for a range request following
   * one from the same client for the same version, counted into that one instead: a seeking
   * player makes dozens, and each used to be an event (and a rule run).
   */
  record(request: StreamRequest, exists: () => boolean): boolean {
    const list = this.#requests.get(request.stream) ?? [];
    const last = list[list.length - 1];
    if (request.range && last && followsOn(last, request)) {
      list[list.length - 1] = {
        ...last,
        followingRanges: (last.followingRanges ?? 0) + 1,
        lastAt: request.at,
        bytes: last.bytes === undefined || request.bytes === undefined ? undefined : last.bytes + request.bytes,
      };
      return false;
    }
    // Deleted while the request was being prepared: do not bring its log back to life.
    if (!exists()) return true;
    list.push(request);
    if (list.length > REQUESTS_KEPT) list.shift();
    this.#requests.set(request.stream, list);
    return true;
  }

  list(name: string): readonly StreamRequest[] {
    return this.#requests.get(name) ?? [];
  }

  forget(name: string): void {
    this.#requests.delete(name);
  }
}

function followsOn(previous: StreamRequest, next: StreamRequest): boolean {
  return (
    previous.client === next.client &&
    previous.userAgent === next.userAgent &&
    previous.version === next.version &&
    previous.mode === next.mode &&
    Date.parse(next.at) - Date.parse(previous.lastAt ?? previous.at) < RANGES_FOLD_MS
  );
}
