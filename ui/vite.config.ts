import {fileURLToPath} from "node:url";
import {defineConfig} from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The panel is served under Home Assistant's ingress prefix (`/api/hassio_ingress/<token>/`),
 * which the service never sees, so every asset URL is relative (`base: "./"`).
 */
export default defineConfig({
  root: here,
  base: "./",
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
