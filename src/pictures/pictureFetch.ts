import {randomUUID} from "node:crypto";
import {mkdir, readFile, rm} from "node:fs/promises";
import path from "node:path";
import {DownloadError, downloadTo} from "../core/download.js";
import {AppError} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {MAX_PICTURE_BYTES, tooLarge} from "./pictureCheck.js";

const FETCH_TIMEOUT_MS = 30_000;
const DATA_URL = /^data:image\/[a-z0-9.+-]{1,40};base64,/i;

/**
 * The bytes of a picture someone else names (a card's art as Yoto gives it, an icon's image): any
 * web address (`http:`, `https:`, `//host/…` as https) or a `data:` picture, at most 10 MB, and
 * only where the fetch policy lets the service go (art a card names is chosen by whoever made the
 * card). Errors name the address and why.
 */
export async function fetchPicture(
  url: string,
  opts: {workDir: string; what: string; policy?: FetchPolicy; signal?: AbortSignal},
): Promise<Buffer> {
  const data = DATA_URL.exec(url);
  if (data) {
    // base64 is 4 characters for 3 bytes: the length says the size before anything is decoded.
    if ((url.length - data[0].length) * 0.75 > MAX_PICTURE_BYTES) throw tooLarge(opts.what);
    return Buffer.from(url.slice(data[0].length), "base64");
  }
  const address = url.startsWith("//") ? `https:${url}` : url;
  if (!/^https?:\/\//i.test(address))
    throw new AppError(
      "bad_picture",
      `${opts.what} is not at a web address (${describe(url)}): only http, https and data: pictures are fetched`,
      {status: 422, expose: true},
    );
  await mkdir(opts.workDir, {recursive: true});
  const file = path.join(opts.workDir, `.work-${randomUUID()}.download`);
  try {
    await downloadTo(address, file, {
      maxBytes: MAX_PICTURE_BYTES,
      timeoutMs: FETCH_TIMEOUT_MS,
      headers: {Accept: "image/png,image/jpeg,image/gif,image/webp;q=0.9,*/*;q=0.1"},
      ...(opts.policy ? {policy: opts.policy} : {}),
      ...(opts.signal ? {signal: opts.signal} : {}),
    }).catch((err: unknown) => {
      if (err instanceof DownloadError && err.status === 413) throw tooLarge(opts.what);
      throw err;
    });
    return await readFile(file);
  } finally {
    await rm(file, {force: true});
  }
}

/** An address for a message: a `data:` one is not quoted whole. */
function describe(url: string): string {
  const shown = url.length > 80 ? `${url.slice(0, 77)}…` : url;
  return `'${shown}'`;
}
