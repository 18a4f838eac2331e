import {findOnPath} from "../../src/core/findProgram.js";

/**
 * A program only some tests need and the product can do without (lame: announcements' speech is
 * encoded by ffmpeg without it): its path, or why those tests are skipped. Under CI=true a missing
 * one is a failure, as CI installs it; elsewhere the rest of `npm test` runs without it.
 */
export function programForTests(
  name: string,
  install: string,
  env: NodeJS.ProcessEnv = process.env,
): {path?: string; reason?: string} {
  const found = findOnPath(name, env);
  if (found) return {path: found};
  const missing = `${name} is not installed (${install})`;
  if (env.CI === "true") throw new Error(`${missing}: CI needs it`);
  return {reason: `${missing}: the tests that need it are skipped`};
}
