// Runs in a worker thread: reads, checks and writes out (as YAML) one story file at a time, so
// a large Twine story or an ink compile (a 5 MB ink source takes half a minute) never holds the
// service's event loop. Errors go back as their code, status and message: the import's answer.
import path from "node:path";
import {parentPort} from "node:worker_threads";
import {AppError, errorMessage} from "../../core/errors.js";
import {BUILT_IN_READERS, readStoryFile, storyToWrite} from "./storyRead.js";

/** One file to read (the read thread sends them one at a time): to check it, or to make what an import writes. */
export interface ReadJob {
  filename: string;
  bytes: Uint8Array;
  purpose: "read" | "write";
}

/** `result` is readStoryFile's or storyToWrite's, as the job's purpose says. */
export type ReadAnswer =
  | {ok: true; result: unknown}
  | {ok: false; error: {message: string; code?: string; status?: number}};

parentPort?.on("message", async (job: ReadJob) => {
  let answer: ReadAnswer;
  try {
    const reader = BUILT_IN_READERS.get(path.extname(job.filename).toLowerCase());
    if (!reader) throw new Error(`no reader for '${job.filename}'`);
    // Posted as a Uint8Array: a Buffer again over the same bytes, not a copy.
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const read = job.purpose === "write" ? storyToWrite : readStoryFile;
    answer = {ok: true, result: await read(job.filename, bytes, reader)};
  } catch (err) {
    answer = {
      ok: false,
      error:
        err instanceof AppError
          ? {message: err.message, code: err.code, status: err.status}
          : {message: errorMessage(err)},
    };
  }
  parentPort?.postMessage(answer);
});
