import type {IncomingMessage} from "node:http";
import {type Readable, Transform, type TransformCallback} from "node:stream";

/** Titles longer than this are cut: a sensor's state holds 255 characters anyway. */
const TITLE_LIMIT = 200;

/**
 * Icecast and Shoutcast put a metadata block after every `icy-metaint` bytes of audio when asked
 * (`Icy-MetaData: 1`): one length byte (× 16), then `StreamTitle='…';` padded with zeros. This takes
 * the blocks out, so only audio reaches the players, and calls `onTitle` when the title changes.
 * Linear in the bytes; a block is at most 16 × 255 bytes, so nothing grows.
 */
export class IcyReader extends Transform {
  readonly #metaint: number;
  readonly #onTitle: (title: string) => void;
  #untilMeta: number;
  /** Bytes still to read of the current metadata block, or -1 when the next byte is its length. */
  #metaLeft = 0;
  #inMeta = false;
  #meta: Buffer[] = [];

  constructor(metaint: number, onTitle: (title: string) => void) {
    super();
    this.#metaint = metaint;
    this.#untilMeta = metaint;
    this.#onTitle = onTitle;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    while (at < chunk.length) {
      if (!this.#inMeta) {
        const take = Math.min(this.#untilMeta, chunk.length - at);
        if (take > 0) this.push(chunk.subarray(at, at + take));
        at += take;
        this.#untilMeta -= take;
        if (this.#untilMeta === 0) {
          this.#inMeta = true;
          this.#metaLeft = -1;
        }
        continue;
      }
      if (this.#metaLeft === -1) {
        this.#metaLeft = (chunk[at] as number) * 16;
        at += 1;
      } else {
        const take = Math.min(this.#metaLeft, chunk.length - at);
        this.#meta.push(chunk.subarray(at, at + take));
        at += take;
        this.#metaLeft -= take;
      }
      if (this.#metaLeft === 0) {
        if (this.#meta.length > 0) {
          const title = streamTitle(Buffer.concat(this.#meta).toString("utf8"));
          if (title !== undefined) this.#onTitle(title);
        }
        this.#meta = [];
        this.#inMeta = false;
        this.#untilMeta = this.#metaint;
      }
    }
    done();
  }
}

/**
 * A station's answer without its ICY metadata (read out into `onTitle`), when it has an
 * `icy-metaint`; as it is otherwise. The interval is decimal digits (a station sends nothing else;
 * "0x10" read as 16 would cut the audio into pieces).
 */
export function withoutIcyMetadata(res: IncomingMessage, onTitle: (title: string) => void): Readable {
  const text = String(res.headers["icy-metaint"] ?? "");
  const metaint = /^\d{1,7}$/.test(text) ? Number(text) : 0;
  if (metaint <= 0 || metaint > 1_000_000) return res;
  const reader = new IcyReader(metaint, onTitle);
  res.on("error", (err) => reader.destroy(err));
  return res.pipe(reader);
}

/**
 * A station's `StreamTitle` as title and artist: stations write "Artist - Title", which is split at
 * the first " - "; anything else is all title (the card, the station, stays the artist then).
 */
export function songOf(streamTitle: string): {title: string; artist?: string} {
  const at = streamTitle.indexOf(" - ");
  const artist = at > 0 ? streamTitle.slice(0, at).trim() : "";
  const title = at > 0 ? streamTitle.slice(at + 3).trim() : "";
  return artist && title ? {title, artist} : {title: streamTitle.trim()};
}

/**
 * `StreamTitle='Artist - Song';StreamUrl='…';` → "Artist - Song". Stations quote loosely (a title
 * with an apostrophe in it), so the title runs to the last `';` before the next known key.
 */
export function streamTitle(meta: string): string | undefined {
  const text = meta.replace(/\0+$/, "");
  const start = text.indexOf("StreamTitle='");
  if (start === -1) return undefined;
  const from = start + "StreamTitle='".length;
  const nextKey = text.indexOf("';Stream", from);
  let end = nextKey === -1 ? text.lastIndexOf("';") : nextKey;
  if (end < from) end = text.length;
  return text
    .slice(from, end)
    .split("")
    .filter((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127)
    .join("")
    .trim()
    .slice(0, TITLE_LIMIT);
}
