/**
 * The test files `npm test` leaves to a script of their own, which `.ci/run` runs: the add-on image
 * (`npm run test:image`), whose `npm ci`, native SQLite build, `tsc` and `vite build` are minutes of
 * CPU that a change to anything but the image's steps does not need.
 */
export const OWN_SCRIPT: readonly string[] = ["test/integration/app/addonImage.test.ts"];

/** What every test file runs with, in `npm test` and in a script of its own alike. */
export const EVERY_FILE = {
  // Ends what each file started (files share a worker process).
  setupFiles: ["test/setup.ts"],
  environment: "node",
  env: {TZ: "Etc/UTC"},
  // Integration tests start real servers, brokers and ffmpeg; give them room on a 2-core machine.
  testTimeout: 20_000,
  hookTimeout: 30_000,
  pool: "forks",
} as const;
