import {createReadStream} from "node:fs";
import http from "node:http";
import https from "node:https";
import {setTimeout as delay} from "node:timers/promises";
import {errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {YotoApiError, type YotoRest} from "./rest.js";

/** Audio as Yoto holds it after transcoding: what a card track refers to (`yoto:#<sha>`). */
export interface TranscodedAudio {
  sha: string;
  format: string;
  duration: number;
  fileSize: number;
  channels?: string;
}

export interface AudioFile {
  path: string;
  /** hex sha256 of the file: Yoto keeps one copy per hash, and answers no upload URL if it has it. */
  sha256: string;
  bytes: number;
  filename: string;
  contentType: string;
}

export interface UploadTiming {
  pollMs?: number;
  /** How long a transcode may take before we give up (long audiobooks take minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Where the upload URL Yoto answers may lead (it is not Yoto's API, and it gets the family's audio). */
  policy?: FetchPolicy;
}

type Json = Record<string, unknown>;

/**
 * Yoto's upload flow (reference §2.5): ask for an upload URL by the file's sha256 (none when Yoto
 * has the file already), PUT the bytes there, then poll the transcode until it names the sha of
 * the audio a card refers to. `uploaded` says whether bytes were sent.
 */
export async function uploadAudio(
  rest: YotoRest,
  file: AudioFile,
  timing: UploadTiming = {},
): Promise<{audio: TranscodedAudio; uploaded: boolean}> {
  const query = `sha256=${file.sha256}&filename=${encodeURIComponent(file.filename)}`;
  const answer = await rest.request<{upload?: {uploadId?: unknown; uploadUrl?: unknown}}>(
    "GET",
    `/media/transcode/audio/uploadUrl?${query}`,
  );
  const uploadId = answer.upload?.uploadId;
  const uploadUrl = answer.upload?.uploadUrl;
  if (typeof uploadId !== "string" || uploadId === "")
    throw new YotoApiError(502, "Yoto answered the upload request without an upload id");
  if (typeof uploadUrl === "string" && uploadUrl !== "") await putFile(uploadUrl, file, timing);
  const audio = await transcoded(rest, uploadId, file.filename, timing);
  return {audio, uploaded: typeof uploadUrl === "string" && uploadUrl !== ""};
}

async function transcoded(rest: YotoRest, uploadId: string, filename: string, timing: UploadTiming) {
  const deadline = Date.now() + (timing.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const body = await rest.request<{transcode?: Json}>(
      "GET",
      `/media/upload/${encodeURIComponent(uploadId)}/transcoded?loudnorm=false`,
    );
    const transcode = body.transcode ?? {};
    const sha = transcode.transcodedSha256;
    if (typeof sha === "string" && /^[A-Za-z0-9_-]{8,128}$/.test(sha)) {
      const info = (transcode.transcodedInfo ?? {}) as Json;
      return {
        sha,
        format: typeof info.format === "string" ? info.format : "mp3",
        duration: typeof info.duration === "number" ? info.duration : 0,
        fileSize: typeof info.fileSize === "number" ? info.fileSize : 0,
        ...(typeof info.channels === "string" ? {channels: info.channels} : {}),
      };
    }
    const failed = failure(transcode);
    if (failed) throw new YotoApiError(422, `Yoto could not convert '${filename}': ${failed}`);
    if (Date.now() > deadline)
      throw new YotoApiError(
        504,
        `Yoto was still converting '${filename}' after ${Math.round((timing.timeoutMs ?? 600_000) / 1000)} s`,
      );
    await delay(timing.pollMs ?? 500, undefined, timing.signal ? {signal: timing.signal} : {});
  }
}

/** Why a transcode failed, when it says so (an error, or a phase or status naming a failure). */
function failure(transcode: Json): string | undefined {
  // What Yoto was seen answering for an upload it will never transcode (still HTTP 202).
  if (typeof transcode.failedUploadSha256 === "string" && transcode.failedUploadSha256 !== "")
    return "Yoto gave up on the file (it could not be read as audio)";
  const error = transcode.error;
  if (typeof error === "string" && error !== "") return error.slice(0, 200);
  if (typeof error === "object" && error !== null) {
    const message = (error as Json).message;
    return typeof message === "string" ? message.slice(0, 200) : "it reported an error";
  }
  // Both names are seen: `transcodingProgress` in docs, `progress` in observed answers.
  const progress = (transcode.progress ?? transcode.transcodingProgress ?? {}) as Json;
  for (const value of [progress.phase, progress.status, transcode.status, transcode.phase])
    if (typeof value === "string" && /fail|error|reject/i.test(value)) return `its transcode ended '${value}'`;
  return undefined;
}

// Storage that stops reading or answering for this long is given up on (the restore says so).
const PUT_IDLE_MS = 60_000;

/**
 * The file's bytes to the signed upload URL (storage, not Yoto's API: no token), streamed from disk.
 * The URL comes from a cloud answer, so it goes where fetches may go, and a silent peer times out.
 */
async function putFile(url: string, file: AudioFile, timing: UploadTiming): Promise<void> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new YotoApiError(502, "Yoto answered an upload URL that is not a URL");
  }
  if (target.protocol !== "https:" && target.protocol !== "http:")
    throw new YotoApiError(502, `Yoto answered a ${target.protocol} upload URL`);
  try {
    timing.policy?.checkLiteral(target);
  } catch (err) {
    throw new YotoApiError(502, `The upload URL Yoto answered is refused: ${errorMessage(err)}`);
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "PUT",
        headers: {"Content-Type": file.contentType, "Content-Length": String(file.bytes)},
        timeout: PUT_IDLE_MS,
        ...(timing.signal ? {signal: timing.signal} : {}),
        ...(timing.policy ? {lookup: timing.policy.lookupFor(target)} : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          if (chunks.length < 16) chunks.push(chunk);
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const code = /<Code>([^<]{1,60})<\/Code>/.exec(Buffer.concat(chunks).toString("utf8"))?.[1];
          reject(
            new YotoApiError(
              status === 403 ? 403 : 502,
              `Yoto's storage refused the upload of '${file.filename}' (${status}${code ? ` ${code}` : ""})`,
            ),
          );
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no progress for ${PUT_IDLE_MS / 1000} s`)));
    req.on("error", (err) =>
      reject(new YotoApiError(0, `The upload of '${file.filename}' to Yoto's storage failed: ${err.message}`)),
    );
    createReadStream(file.path)
      .on("error", (err) => req.destroy(err))
      .pipe(req);
  });
}
