import {createInflate} from "node:zlib";
import type {CriticalPng} from "./pngChunks.js";
import {ImageRefusal} from "./refusal.js";

/**
 * Inflate a PNG's pixel data once, counting and dropping what comes out, and refuse it the moment
 * it passes what its IHDR says (a 1 MB "64×64" PNG whose IDAT inflates to a gigabyte of zeros stops
 * after a few kilobytes). The inflate runs on libuv's thread pool in chunks: the event loop is never
 * held, and the memory is one chunk at a time, whatever the data claims. Only then does a decoder,
 * which would inflate it whole (pngjs) or trust it, see the picture.
 */
export function checkPngData(png: CriticalPng, signal?: AbortSignal): Promise<void> {
  const limit = png.layout.rawBytes;
  return new Promise((resolve, reject) => {
    const inflate = createInflate({chunkSize: 64 * 1024});
    let seen = 0;
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (err) {
        inflate.destroy();
        reject(err);
      } else resolve();
    };
    const onAbort = () => settle(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal?.addEventListener("abort", onAbort, {once: true});
    inflate.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit)
        settle(
          new ImageRefusal(
            "damaged",
            `holds more pixel data than its size says (${png.layout.width}×${png.layout.height} is ${limit} bytes): it is damaged, or made to exhaust memory. Send another`,
          ),
        );
    });
    inflate.on("error", () =>
      settle(
        new ImageRefusal(
          "damaged",
          "is not a well-formed PNG: its pixel data is not a zlib stream. Send it again, or another",
        ),
      ),
    );
    inflate.on("end", () => settle());
    // The payloads as one buffer (at most the picture's 10 MB), written once: zlib works through it
    // a chunk at a time and each chunk's output is counted before the next. A chunk at a time from
    // here would recurse once per IDAT, and ten thousand empty IDATs overflowed the stack.
    inflate.end(Buffer.concat(png.data));
  });
}
