import type {Context} from "koa";
import {AppError, badRequest} from "../core/errors.js";

export const JSON_BODY_LIMIT = 64 * 1024;

/**
 * Read a JSON request body of at most `limit` bytes. Bodies are small commands, never data dumps,
 * so a bound keeps a hostile client from filling memory.
 */
export async function readJson(ctx: Context, limit = JSON_BODY_LIMIT, opts: BodyLimits = {}): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the request body as JSON with 'Content-Type: application/json'",
      {
        status: 415,
      },
    );
  }
  const text = (await readBytes(ctx, limit, opts)).toString("utf8");
  if (!text.trim()) throw badRequest("The request body is empty; send a JSON object", "invalid_json");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`The request body is not valid JSON (${(err as Error).message})`, "invalid_json");
  }
}

/** Read a JSON body that must be an object; `message`/`code` are the answer when it is not. */
export async function readJsonObject(
  ctx: Context,
  message = "Send a JSON object",
  code = "invalid_body",
): Promise<Record<string, unknown>> {
  const body = await readJson(ctx);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest(message, code);
  return body as Record<string, unknown>;
}

/**
 * A refused body's rest is read and thrown away, up to this much, before the answer: a client still
 * sending (a browser through Home Assistant's ingress above all) otherwise sees its connection
 * reset, not the answer saying what was too large.
 */
const DRAINED_BYTES = 64 * 1024 * 1024;

export interface BodyLimits {
  /** The error past `limit`, given the body's size when it is known (declared, or read to its end). */
  tooLarge?: (bytes: number | undefined) => Error;
  /** The whole body within this long (a byte a minute would otherwise hold the connection for good). */
  deadlineMs?: number;
}

/**
 * Read a raw request body (JSON text, an image) of at most `limit` bytes; 413 beyond it, by its
 * declared length before a byte is kept, or while reading, with the rest drained first.
 */
export function readBytes(ctx: Context, limit: number, opts: BodyLimits = {}): Promise<Buffer> {
  const declared = Number(ctx.get("Content-Length") || 0);
  const refuse = opts.tooLarge ?? (() => tooLarge(limit));
  const req = ctx.req;
  // Read before (nothing of it is left to come): no end would be heard.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const over = () => size > limit || declared > limit;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over()) chunks.push(chunk);
      else chunks.length = 0;
      if (over() && size > DRAINED_BYTES) finish(refuse(declared > limit ? declared : undefined));
    };
    const onEnd = () => finish(over() ? refuse(declared > limit ? declared : size) : undefined);
    const onAborted = () =>
      finish(new AppError("upload_aborted", "The request body stopped before its end", {status: 400}));
    const ms = opts.deadlineMs;
    const slow = () =>
      new AppError(
        "upload_too_slow",
        `The upload took more than ${(ms ?? 0) / 60_000} minutes: send it again over a better connection`,
        {status: 408},
      );
    const deadline = ms === undefined ? undefined : setTimeout(() => finish(slow()), ms);
    function finish(err?: Error) {
      clearTimeout(deadline);
      req.off("data", onData).off("end", onEnd).off("error", finish).off("aborted", onAborted);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    }
    req.on("data", onData).on("end", onEnd).on("error", finish).on("aborted", onAborted);
  });
}

function tooLarge(limit: number): AppError {
  const size = limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MB` : `${limit / 1024} KB`;
  return new AppError("body_too_large", `The request body is larger than ${size}`, {status: 413});
}
