import {readFile} from "node:fs/promises";
import path from "node:path";
import type Router from "@koa/router";

/**
 * The panel page. Every URL in it is relative, so it works behind Home Assistant ingress, which
 * strips `/api/hassio_ingress/<token>` before forwarding. The Lit panel replaces this page once
 * `ui/` is built; until then a minimal status page shows the service is alive.
 */
export function panelRoutes(router: Router, uiDist: string): void {
  router.get("/", async (ctx) => {
    ctx.type = "html";
    ctx.set("Cache-Control", "no-cache");
    ctx.body = await readFile(path.join(uiDist, "index.html"), "utf8").catch(() => FALLBACK_PAGE);
  });
}

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yoto Smart Stream</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:var(--primary-text-color,#212121);background:var(--primary-background-color,#fafafa)}pre{white-space:pre-wrap}</style>
</head><body><h1>Yoto Smart Stream</h1><p>The service is running. Status:</p><pre id="health">loading…</pre>
<script type="module">
const out = document.getElementById("health");
fetch("api/health").then((r) => r.json()).then((h) => { out.textContent = JSON.stringify(h, null, 2); },
  (e) => { out.textContent = "Could not reach the service: " + e; });
</script></body></html>`;
