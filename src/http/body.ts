import type {Context} from "koa";
import {AppError, badRequest} from "../core/errors.js";

export const JSON_BODY_LIMIT = 64 * 1024;

/**
 * Read a JSON request body of at most `limit` bytes. Bodies are small commands, never data dumps,
 * so a bound keeps a hostile client from filling memory.
 */
export async function readJson(ctx: Context, limit = JSON_BODY_LIMIT): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the request body as JSON with 'Content-Type: application/json'",
      {
        status: 415,
      },
    );
  }
  const text = (await readBytes(ctx, limit)).toString("utf8");
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

/** Read a raw request body (JSON text, an image) of at most `limit` bytes; 413 beyond it. */
export async function readBytes(ctx: Context, limit: number): Promise<Buffer> {
  if (Number(ctx.get("Content-Length") || 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): AppError {
  const size = limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MB` : `${limit / 1024} KB`;
  return new AppError("body_too_large", `The request body is larger than ${size}`, {status: 413});
}
