import {defineConfig} from "vitest/config";
import {OWN_SCRIPT} from "./test/suite.js";

/**
 * `npm run test:image`: the add-on image built from the Dockerfile's own steps, then run as the
 * add-on (test/suite.ts says why it is not in `npm test`). `.ci/run` runs it.
 */
export default defineConfig({
  test: {
    include: [...OWN_SCRIPT],
    setupFiles: ["test/setup.ts"],
    environment: "node",
    reporters: ["default", "json"],
    outputFile: {json: "test-artifacts/vitest-image.json"},
    env: {TZ: "Etc/UTC"},
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
