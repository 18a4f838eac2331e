import os from "node:os";
import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    setupFiles: ["test/setup.ts"],
    environment: "node",
    env: {TZ: "Etc/UTC"},
    // Integration tests start real servers, brokers and ffmpeg; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One worker per core: most files wait on real servers and child processes, but the rest is
    // CPU (ffmpeg, Chromium, SQLite), and on a 2-core machine a third worker only queued behind them.
    maxWorkers: os.availableParallelism(),
    // A worker process runs file after file with the modules it has loaded: a fresh process and
    // import per file cost about a third of the suite's time. test/setup.ts ends what each file
    // started, and the helpers register their servers with it rather than with the module.
    isolate: false,
    // `npm test` runs with --coverage. The floor is the coverage the suite had when it was set
    // (87.7 % statements, 79.1 % branches, 88.4 % functions, 90.2 % lines), less a little for
    // timing-dependent paths: a ratchet, raised when coverage rises, so a change that leaves new
    // code untested fails.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "test-artifacts/coverage",
      thresholds: {statements: 87, branches: 78.5, functions: 88, lines: 89.5},
    },
  },
});
