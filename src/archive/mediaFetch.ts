import {createHash} from "node:crypto";
import {rm} from "node:fs/promises";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {DownloadError, downloadTo} from "../core/download.js";
import {AppError} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {ArchiveFolder} from "./archiveFolder.js";
import type {ArchivedFile, FileKind} from "./cardRecord.js";

/** A file a card needs archived: its stable reference, and where its bytes can be fetched now. */
export interface MediaNeed {
  ref: string;
  kind: FileKind;
  url: string;
  /** "chapter 'Bedtime' track 'Owl'", for messages. */
  where: string;
  format?: string;
}

export interface FetchContext {
  folder: ArchiveFolder;
  policy?: FetchPolicy;
  signal: AbortSignal;
  /** Bytes arriving (negative when a failed attempt's bytes are taken back). */
  progress(bytes: number): void;
  /** Read the card again for a fresh link to `ref` (its link expired); undefined if it is gone. */
  relink(ref: string): Promise<string | undefined>;
  /** Waits between attempts after a 5xx or no answer (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

// Yoto's largest Make Your Own tracks are a few hundred MB; this only stops a runaway answer.
// Icons are 16×16 and covers a picture: more than this is not one, and restore reads them whole.
const MAX_BYTES: Record<MediaNeed["kind"], number> = {
  audio: 2 * 1024 * 1024 * 1024,
  icon: 1024 * 1024,
  cover: 20 * 1024 * 1024,
};
const FILE_TIMEOUT_MS = 30 * 60_000;
const RETRY_DELAYS_MS = [1000, 4000, 15_000];
// A link that expired is read afresh; one that keeps being refused is not Yoto's expiry.
const MAX_RELINKS = 2;

/**
 * Fetch one file into the archive: hashed as it arrives, checked against the sha Yoto names the
 * audio by, flushed and renamed into place. An expired link is replaced by a fresh one; Yoto failing
 * or not answering is retried with backoff; a full disk is the 507 naming the archive's folder.
 */
export async function fetchMedia(need: MediaNeed, ctx: FetchContext): Promise<ArchivedFile> {
  const delays = ctx.retryDelaysMs ?? RETRY_DELAYS_MS;
  let url = need.url;
  let relinks = 0;
  let failures = 0;
  for (;;) {
    const incoming = ctx.folder.incomingFile();
    const hash = createHash("sha256");
    let bytes = 0;
    let head = Buffer.alloc(0);
    try {
      await downloadTo(url, incoming, {
        maxBytes: MAX_BYTES[need.kind],
        timeoutMs: FILE_TIMEOUT_MS,
        signal: ctx.signal,
        ...(ctx.policy ? {policy: ctx.policy} : {}),
        onChunk: (chunk) => {
          hash.update(chunk);
          bytes += chunk.length;
          if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
          ctx.progress(chunk.length);
        },
      });
    } catch (err) {
      await rm(incoming, {force: true});
      ctx.progress(-bytes);
      if (isDiskFull(err)) throw diskFullError(ctx.folder.dir, err);
      const upstream = err instanceof DownloadError ? err.upstream : -1;
      if (upstream === 403 && relinks < MAX_RELINKS && !ctx.signal.aborted) {
        relinks++;
        const fresh = await ctx.relink(need.ref);
        if (!fresh) throw gone(need);
        url = fresh;
        continue;
      }
      const transient = upstream === 0 || upstream === 429 || upstream >= 500;
      if (err instanceof DownloadError && transient && failures < delays.length && !ctx.signal.aborted) {
        await sleep(delays[failures++] ?? 1000, ctx.signal);
        continue;
      }
      throw err;
    }
    const sha = hash.digest("hex");
    const expected = need.kind === "audio" ? expectedSha(need.ref) : undefined;
    if (expected && expected !== sha) {
      await rm(incoming, {force: true});
      ctx.progress(-bytes);
      throw new AppError(
        "sha_mismatch",
        `${need.where}: the bytes Yoto sent do not match the sha256 it names them by (expected ${expected.slice(0, 12)}…, got ${sha.slice(0, 12)}…), so they were not archived`,
        {status: 502, expose: true},
      );
    }
    const file: ArchivedFile = {kind: need.kind, sha, ext: extensionOf(head, need), bytes, verified: !!expected};
    await ctx.folder.keep(incoming, file);
    return file;
  }
}

function gone(need: MediaNeed): AppError {
  return new AppError("media_gone", `${need.where}: Yoto no longer lists this file on the card`, {
    status: 409,
    expose: true,
  });
}

/** The sha a `yoto:#<sha>` audio reference names: hex, or base64url of the same 32 bytes. */
export function expectedSha(ref: string): string | undefined {
  const id = ref.slice("yoto:#".length);
  if (/^[0-9a-fA-F]{64}$/.test(id)) return id.toLowerCase();
  if (/^[A-Za-z0-9_-]{43}$/.test(id)) return Buffer.from(id, "base64url").toString("hex");
  return undefined;
}

/** A name a family's computer opens: from the bytes themselves, else the format Yoto gives. */
function extensionOf(head: Buffer, need: MediaNeed): string {
  if (head.subarray(0, 3).toString("latin1") === "ID3") return "mp3";
  if (head.subarray(4, 8).toString("latin1") === "ftyp") return "m4a";
  if (head.subarray(0, 4).toString("latin1") === "OggS") return "ogg";
  if (head.subarray(1, 4).toString("latin1") === "PNG") return "png";
  if (head.subarray(0, 3).toString("latin1") === "GIF") return "gif";
  if (head[0] === 0xff && head[1] === 0xd8) return "jpg";
  if (head.subarray(8, 12).toString("latin1") === "WEBP") return "webp";
  // ADTS AAC (0xFFF1/0xFFF9) before the MPEG audio sync it resembles.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0) return "aac";
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) return "mp3";
  if (need.kind !== "audio") return "img";
  return /^[a-z0-9]{1,5}$/.test(need.format ?? "") ? (need.format as string) : "bin";
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      {once: true},
    );
  });
}
