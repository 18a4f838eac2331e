import {Transform, type TransformCallback} from "node:stream";
import {audioStart} from "./liveClip.js";
import {AUDIO_SNIFF_LIMIT} from "./mpegFrames.js";

/**
 * An MP3 stream from its first whole frame: a station joined mid-way (or a file cut at any byte)
 * begins inside a frame, and what comes before the first real one (audioStart) is dropped, so the
 * player's first bytes are a frame header. At most AUDIO_SNIFF_LIMIT bytes are held while it
 * looks; a stream with no frame in them passes as it is (the player's decoder is left to judge).
 */
export class FromFirstFrame extends Transform {
  #head: Buffer[] = [];
  #size = 0;
  #looking = true;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#looking) {
      this.#head.push(chunk);
      this.#size += chunk.length;
      this.#decide(this.#size >= AUDIO_SNIFF_LIMIT);
    } else this.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#looking) this.#decide(true);
    done();
  }

  #decide(ended: boolean): void {
    const head = Buffer.concat(this.#head, this.#size);
    const start = audioStart(head, ended);
    if (start === "more") return;
    this.#looking = false;
    this.#head = [];
    this.push(head.subarray(start ?? 0));
  }
}
