import {Transform, type TransformCallback} from "node:stream";

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
