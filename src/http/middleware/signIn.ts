import {createHmac, timingSafeEqual} from "node:crypto";
import type {Context, Middleware} from "koa";

/** The cookie a browser that signed in with the `api_token` carries. */
export const SESSION_COOKIE = "yss_session";
const SESSION_DAYS = 30;
const MAX_FORM_BYTES = 4096;

/**
 * What the session cookie holds: a MAC of the token, not the token. It survives restarts, says
 * nothing about the token, and stops working the moment the token changes.
 */
export function sessionValue(apiToken: string): string {
  return createHmac("sha256", apiToken).update("yoto-smart-stream session v1").digest("base64url");
}

export function hasSession(ctx: Context, apiToken: string | undefined): boolean {
  if (!apiToken) return false;
  const given = Buffer.from(ctx.cookies.get(SESSION_COOKIE) ?? "");
  const expected = Buffer.from(sessionValue(apiToken));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Outside Home Assistant a browser on another device cannot send `Authorization: Bearer`, so the
 * panel offers a sign-in page: the `api_token`, typed once, becomes an HttpOnly, SameSite=Strict
 * cookie. Runs before the access check: the page itself must be reachable to sign in at all.
 */
export function signIn(apiToken: string | undefined): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== "/signin") return next();
    if (ctx.method === "GET") return page(ctx, apiToken ? "" : NO_TOKEN);
    if (ctx.method !== "POST") {
      ctx.status = 405;
      return;
    }
    // A sign-in form on another site must not sign this browser in (login CSRF).
    const origin = ctx.get("Origin");
    if (origin && origin !== "null" && new URL(origin).host !== ctx.host)
      return page(ctx, "Sign in from this page, not from another site.", 403);
    const form = await readForm(ctx);
    const given = Buffer.from(form.get("token") ?? "");
    const expected = Buffer.from(apiToken ?? "");
    if (!apiToken || given.length !== expected.length || !timingSafeEqual(given, expected))
      return page(ctx, apiToken ? "That is not the api_token. Try again." : NO_TOKEN, 401);
    ctx.cookies.set(SESSION_COOKIE, sessionValue(apiToken), {
      httpOnly: true,
      sameSite: "strict",
      secure: ctx.secure,
      maxAge: SESSION_DAYS * 24 * 3600 * 1000,
      overwrite: true,
    });
    ctx.redirect("/");
    ctx.status = 303;
  };
}

const NO_TOKEN =
  "This service has no api_token set, so it answers only this machine. Set the api_token option (16 characters or more) and restart to sign in from other devices.";

async function readForm(ctx: Context): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of ctx.req) {
    text += chunk;
    if (text.length > MAX_FORM_BYTES) break;
  }
  return new URLSearchParams(text.slice(0, MAX_FORM_BYTES));
}

function page(ctx: Context, message: string, status = 200): void {
  ctx.status = status;
  ctx.type = "text/html; charset=utf-8";
  ctx.set("Cache-Control", "no-store");
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Yoto Smart Stream</title>
<style>
  body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f5f5f5;color:#212121}
  form{background:#fff;padding:24px;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.15);width:min(320px,calc(100vw - 48px))}
  h1{font-size:1.25rem;margin:0 0 12px} p{margin:0 0 12px;line-height:1.4}
  input,button{font:inherit;width:100%;box-sizing:border-box;padding:10px;margin-top:8px;border-radius:6px}
  input{border:1px solid #bbb} button{border:0;background:#03a9f4;color:#fff;cursor:pointer}
  .error{color:#b00020}
</style></head>
<body><form method="post" action="/signin">
<h1>Yoto Smart Stream</h1>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : "<p>Sign in with the service's api_token.</p>"}
<label>api_token<input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
