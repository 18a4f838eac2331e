import {build} from "vite";
import {once} from "./once.js";

/**
 * The browser tests, and the service's tests that serve the panel, load it built: built here once
 * a run from the current `ui/` sources exactly as `npm run build` does (with NODE_ENV=production:
 * Vitest sets NODE_ENV=test, which would pick Lit's development build).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const {giveBack} = await once("panel", async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      // The panel, then the child's page into the same folder (package.json's build:ui).
      await build({configFile: new URL("../../ui/vite.config.ts", import.meta.url).pathname, logLevel: "warn"});
      await build({configFile: new URL("../../ui/child.vite.config.ts", import.meta.url).pathname, logLevel: "warn"});
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    return {value: true};
  });
  return giveBack;
}
