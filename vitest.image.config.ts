import {defineConfig} from "vitest/config";
import {EVERY_FILE, OWN_SCRIPT} from "./test/suite.js";

/**
 * `npm run test:image`: the add-on image built from the Dockerfile's own steps, then run as the
 * add-on (test/suite.ts says why it is not in `npm test`). `.ci/run` runs it.
 */
export default defineConfig({
  test: {
    ...EVERY_FILE,
    setupFiles: [...EVERY_FILE.setupFiles],
    include: [...OWN_SCRIPT],
    reporters: ["default", "json"],
    outputFile: {json: "test-artifacts/vitest-image.json"},
  },
});
