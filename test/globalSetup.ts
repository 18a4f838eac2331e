import {build} from "vite";

/** The browser and demo tests load the built panel: build it once from the current `ui/` sources. */
export default async function setup(): Promise<void> {
  await build({configFile: new URL("../ui/vite.config.ts", import.meta.url).pathname, logLevel: "warn"});
}
