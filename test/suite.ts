/**
 * The test files `npm test` leaves to a script of their own, which `.ci/run` runs: the add-on image
 * (`npm run test:image`), whose `npm ci`, native SQLite build, `tsc` and `vite build` are minutes of
 * CPU that a change to anything but the image's steps does not need.
 */
export const OWN_SCRIPT: readonly string[] = ["test/integration/app/addonImage.test.ts"];
