import type {Context} from "koa";

export async function raw(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Yoto's documented error body (reference §10.10).
export function badRequest(ctx: Context, message: string): void {
  ctx.status = 400;
  ctx.body = {error: {code: "bad-request", message}};
}

export function notFound(ctx: Context, message: string): void {
  ctx.status = 404;
  ctx.body = {error: {code: "not-found", message}};
}
