import {build} from "vite";

/**
 * The browser and demo tests load the built panel: build it once from the current `ui/` sources,
 * exactly as `npm run build` does. Vitest sets NODE_ENV=test, which would pick Lit's development
 * build, so the build runs with NODE_ENV=production: the tests exercise what ships.
 */
export default async function setup(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({configFile: new URL("../ui/vite.config.ts", import.meta.url).pathname, logLevel: "warn"});
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
