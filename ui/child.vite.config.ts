import {fileURLToPath} from "node:url";
import {defineConfig} from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The child's page: a build of its own (one small script, nothing of the panel's), so a wall
 * tablet paints it quickly. Built after the panel, into the same folder, without emptying it.
 * Its URLs are relative: the service serves it at `child/<name>` with a <base> at the panel's root.
 */
export default defineConfig({
  root: here,
  base: "./",
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: false,
    target: "es2022",
    modulePreload: false,
    reportCompressedSize: true,
    rollupOptions: {input: fileURLToPath(new URL("child.html", import.meta.url))},
  },
});
