import {readFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {gzip} from "node:zlib";
import type Router from "@koa/router";
import {openRoute} from "../routeAccess.js";

const gzipAsync = promisify(gzip);

/** Vite names built files after their content hash, so a name never changes meaning. */
const ASSET_NAME = /^[\w-]+\.(js|css|svg|png|woff2)$/;
const ASSET_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
};

interface Asset {
  type: string;
  raw: Buffer;
  gzipped: Buffer;
}

/**
 * The panel: `index.html` and the hashed files Vite built into `uiDist`. Every URL in them is
 * relative, so the panel works behind Home Assistant ingress, which strips
 * `/api/hassio_ingress/<token>` before forwarding. Assets are read and gzipped once, then served
 * from memory as immutable: a phone on a slow link loads the panel in one small round trip.
 * Until `ui/` is built a minimal status page shows the service is alive.
 */
export function panelRoutes(router: Router, uiDist: string): void {
  const assets = new Map<string, Promise<Asset | undefined>>();
  const load = (name: string) => {
    let pending = assets.get(name);
    if (!pending) {
      pending = readAsset(path.join(uiDist, "assets", name));
      assets.set(name, pending);
    }
    return pending;
  };

  router.get("/", async (ctx) => {
    ctx.type = "html";
    ctx.set("Cache-Control", "no-cache");
    ctx.body = await readFile(path.join(uiDist, "index.html"), "utf8").catch(() => FALLBACK_PAGE);
  });
  // The child's page (docs/child.md): its own small build, at `child/<name>` on the panel's address.
  // Its URLs are relative to the panel's root, whatever prefix ingress adds: a <base> says where that is.
  openRoute(router, "public", "GET", ["/child", "/child/", "/child/:name", "/child/:name/"], async (ctx) => {
    ctx.type = "html";
    ctx.set("Cache-Control", "no-cache");
    const depth = ctx.path.split("/").length - 2;
    const base = depth > 0 ? "../".repeat(depth) : "./";
    const page = await readFile(path.join(uiDist, "child.html"), "utf8").catch(() => CHILD_FALLBACK);
    ctx.body = page.replace("<head>", `<head><base href="${base}">`);
  });
  openRoute(router, "public", "GET", "/assets/:name", async (ctx) => {
    const name = ctx.params.name as string;
    const asset = ASSET_NAME.test(name) ? await load(name) : undefined;
    if (!asset) {
      // A miss is not cached: the next build may add the file.
      assets.delete(name);
      ctx.status = 404;
      ctx.body = "Not found";
      return;
    }
    ctx.type = asset.type;
    ctx.set("Cache-Control", "public, max-age=31536000, immutable");
    ctx.vary("Accept-Encoding");
    if (ctx.acceptsEncodings("gzip", "identity") === "gzip") {
      ctx.set("Content-Encoding", "gzip");
      ctx.body = asset.gzipped;
    } else {
      ctx.body = asset.raw;
    }
  });
}

async function readAsset(file: string): Promise<Asset | undefined> {
  try {
    const raw = await readFile(file);
    const ext = path.extname(file).slice(1);
    return {type: ASSET_TYPES[ext] ?? "application/octet-stream", raw, gzipped: await gzipAsync(raw, {level: 9})};
  } catch {
    return undefined;
  }
}

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yoto Smart Stream</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:var(--primary-text-color,#212121);background:var(--primary-background-color,#fafafa)}pre{white-space:pre-wrap}</style>
</head><body><h1>Yoto Smart Stream</h1><p>The panel is not built (run <code>npm run build</code>). Status:</p><pre id="health">loading…</pre>
<script type="module">
const out = document.getElementById("health");
fetch("api/health").then((r) => r.json()).then((h) => { out.textContent = JSON.stringify(h, null, 2); },
  (e) => { out.textContent = "Could not reach the service: " + e; });
</script></body></html>`;

const CHILD_FALLBACK = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yoto Smart Stream</title></head><body><p>The child's page is not built (run <code>npm run build</code>).</p></body></html>`;
