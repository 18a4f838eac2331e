import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    environment: "node",
    env: {TZ: "Etc/UTC"},
    // Integration tests start real servers, brokers and ffmpeg; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
