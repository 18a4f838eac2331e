import {read} from "node:fs";
import type {FileHandle} from "node:fs/promises";
import type {Writable} from "node:stream";
import type {OpenFiles} from "../files/openFiles.js";
import type {Segment} from "../files/segment.js";

const CHUNK_BYTES = 256 * 1024;
const MAX_POOLED = 64;
// Corked bytes are sent once this much is queued (or a file segment or the end comes).
const CORKED_BYTES = 1024 * 1024;

/**
 * Writes file segments to a response through two reused buffers: one is read into while the other
 * is on the wire. fs.createReadStream allocates a fresh buffer per chunk instead, and that external
 * memory triggers full GCs whose cost grows with the app's heap — about twice the CPU per GB here
 * (bench/rangeServing.ts). Segments let one response span several files (stream queues).
 */
export class FileSender {
  readonly #pool: Buffer[] = [];
  readonly #files: OpenFiles;

  constructor(files: OpenFiles) {
    this.#files = files;
  }

  /** `segments` may be endless (a looping stream): sending stops when the client leaves. */
  async send(out: Writable, segments: Iterable<Segment>): Promise<void> {
    const buffers = [this.#take(), this.#take()] as const;
    let pending: Promise<void> | undefined;
    let turn = 0;
    // Consecutive in-memory segments go out corked: one writev for a queue of short tracks.
    let corked = false;
    const uncork = () => {
      if (corked) out.uncork();
      corked = false;
    };
    try {
      for (const segment of segments) {
        if (out.destroyed) return;
        if (segment.memory) {
          // Immutable bytes need no turn-taking: queue them, waiting only when the socket is full.
          // No callback per chunk (each would hold a listener until uncorked): the stream keeps
          // them in order, and a lost connection shows at the next wait or file segment.
          const {data, offset} = segment.memory;
          if (!corked) out.cork();
          corked = true;
          out.write(data.subarray(segment.start - offset, segment.end - offset + 1));
          if (out.writableLength >= CORKED_BYTES) {
            uncork();
            if (out.writableNeedDrain) await drained(out);
          }
          continue;
        }
        uncork();
        const lease = typeof segment.file === "string" ? await this.#files.acquire(segment.file) : undefined;
        const handle = lease?.handle ?? (segment.file as FileHandle);
        try {
          if (lease && segment.identity !== undefined && lease.key !== segment.identity) {
            throw new Error(`'${lease.path}' changed since this response was prepared`);
          }
          let position = segment.start;
          while (position <= segment.end) {
            if (out.destroyed) return;
            const buffer = buffers[turn] as Buffer;
            const want = Math.min(buffer.length, segment.end - position + 1);
            const bytesRead = await readAt(handle, buffer, want, position);
            if (bytesRead === 0) throw new Error(`a file ended before byte ${segment.end}`);
            position += bytesRead;
            // One write in flight at most: the buffer read next is never the one being written.
            await pending;
            pending = write(out, buffer.subarray(0, bytesRead));
            // It may fail while the next read is awaited; mark it handled now (an unhandled
            // rejection ends the process), the `await pending` above still sees the error.
            pending.catch(() => undefined);
            turn = 1 - turn;
          }
        } finally {
          lease?.release();
        }
      }
      uncork();
      await pending;
    } finally {
      uncork();
      // A buffer goes back to the pool only once the socket is done with it.
      await pending?.catch(() => undefined);
      this.#give(buffers[0]);
      this.#give(buffers[1]);
    }
  }

  #take(): Buffer {
    return this.#pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  }

  #give(buffer: Buffer): void {
    if (this.#pool.length < MAX_POOLED) this.#pool.push(buffer);
  }
}

/**
 * One read through the callback API on the handle's descriptor: FileHandle.read costs the event
 * loop about twice as much per call (bench/rangeServing.ts), and a range request is mostly one read.
 */
function readAt(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(handle.fd, buffer, 0, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );
}

/** Resolves when `out` wants more, or rejects if the connection is gone (both listeners removed either way). */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) {
      reject(new Error("connection closed"));
      return;
    }
    const onDrain = () => {
      out.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      out.off("drain", onDrain);
      reject(new Error("connection closed"));
    };
    out.once("drain", onDrain);
    out.once("close", onClose);
  });
}

/** Resolves when the chunk has been handed to the kernel, or rejects if the connection is gone. */
function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) {
      reject(new Error("connection closed"));
      return;
    }
    const onClose = () => reject(new Error("connection closed"));
    out.once("close", onClose);
    out.write(chunk, (err) => {
      out.off("close", onClose);
      if (err) reject(err);
      else resolve();
    });
  });
}
