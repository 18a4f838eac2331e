import {createReadStream} from "node:fs";
import http from "node:http";
import https from "node:https";
import {setTimeout as delay} from "node:timers/promises";
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
  if (typeof uploadUrl === "string" && uploadUrl !== "") await putFile(uploadUrl, file, timing.signal);
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
  const progress = (transcode.transcodingProgress ?? {}) as Json;
  for (const value of [progress.phase, progress.status, transcode.status, transcode.phase])
    if (typeof value === "string" && /fail|error|reject/i.test(value)) return `its transcode ended '${value}'`;
  return undefined;
}

/** The file's bytes to the signed upload URL (storage, not Yoto's API: no token), streamed from disk. */
function putFile(url: string, file: AudioFile, signal?: AbortSignal): Promise<void> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "PUT",
        headers: {"Content-Type": file.contentType, "Content-Length": String(file.bytes)},
        ...(signal ? {signal} : {}),
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
    req.on("error", (err) =>
      reject(new YotoApiError(0, `The upload of '${file.filename}' to Yoto's storage failed: ${err.message}`)),
    );
    createReadStream(file.path)
      .on("error", (err) => req.destroy(err))
      .pipe(req);
  });
}
