import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import {open} from "node:fs/promises";

/** A file's text, or its size when it is over the limit (then it was not read). */
export type BoundedText = {text: string; size?: undefined} | {size: number; text?: undefined};

const MIB = 1024 * 1024;

/**
 * Read `file` as UTF-8 if it holds at most `maxBytes`. The size is checked before reading, and the
 * read stops one byte past the limit, so a file that grows in between is refused too.
 */
export async function readTextUpTo(file: string, maxBytes: number): Promise<BoundedText> {
  const handle = await open(file, "r");
  try {
    const {size} = await handle.stat();
    if (size > maxBytes) return {size};
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (;;) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return {size: Math.max(size, length)};
    }
    return {text: buffer.toString("utf8", 0, length)};
  } finally {
    await handle.close();
  }
}

/** `readTextUpTo` for start-up code that reads synchronously (the options file). */
export function readTextUpToSync(file: string, maxBytes: number): BoundedText {
  const fd = openSync(file, "r");
  try {
    const {size} = fstatSync(fd);
    if (size > maxBytes) return {size};
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return {size: Math.max(size, length)};
    }
    return {text: buffer.toString("utf8", 0, length)};
  } finally {
    closeSync(fd);
  }
}

/** "is 21.0 MB; rule files are limited to 1 MB" (the size rounded up, so just over never reads as equal). */
export function overLimit(size: number, maxBytes: number, kind: string): string {
  const mb = (Math.ceil((size / MIB) * 10) / 10).toFixed(1);
  return `is ${mb} MB; ${kind} are limited to ${Math.round((maxBytes / MIB) * 100) / 100} MB`;
}
