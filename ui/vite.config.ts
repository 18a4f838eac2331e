import {fileURLToPath} from "node:url";
import {defineConfig, type Plugin} from "vite";
import {earlyScript} from "./src/data/early.js";
import {PANEL_HEADERS} from "./src/data/http.js";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The panel is served under Home Assistant's ingress prefix (`/api/hassio_ingress/<token>/`),
 * which the service never sees, so every asset URL is relative (`base: "./"`).
 */
/**
 * A browser locked to a child's page (`child/<name>?lock`, ui/src/child/main.ts) never shows the
 * panel: it goes back to that child's page before anything loads.
 */
const CHILD_LOCK =
  'try{var c=localStorage.getItem("yss.childLock");if(c)location.replace("child/"+encodeURIComponent(c))}catch(e){}';

/** The Players view's first GETs start from index.html itself (src/data/early.ts). */
const earlyRequests: Plugin = {
  name: "yss-early-requests",
  // Right after the charset, before anything else the parser has to get through.
  transformIndexHtml: (html) =>
    html.replace(
      /<meta charset="utf-8" \/>/,
      (meta) => `${meta}\n    <script>${CHILD_LOCK}</script>\n    <script>${earlyScript(PANEL_HEADERS)}</script>`,
    ),
};

export default defineConfig({
  root: here,
  base: "./",
  plugins: [earlyRequests],
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Two files at most: the panel with its Players view, then one chunk with the other views
    // (ui/src/views/more-views.ts). Ingress adds a round trip per file, so no chunk per view.
    modulePreload: false,
    reportCompressedSize: true,
  },
});
