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
    // One small bundle loads faster through ingress than a waterfall of chunks.
    modulePreload: false,
    reportCompressedSize: true,
  },
});
