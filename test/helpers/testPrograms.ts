import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
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

/**
 * The system packages some tests drive for real, which npm cannot install: what each is, where it
 * is looked for, and the Debian package. README.md ("Requirements") gives them as one apt-get line;
 * `.ci/run` installs them all.
 */
const SYSTEM_NEEDS = {
  mosquitto: {what: "Mosquitto", packages: "mosquitto", find: () => firstOf(["/usr/sbin/mosquitto", "mosquitto"])},
  icecast2: {what: "Icecast", packages: "icecast2", find: () => firstOf(["/usr/bin/icecast2", "icecast2"])},
  minidlna: {what: "MiniDLNA", packages: "minidlna", find: () => firstOf(["/usr/sbin/minidlnad", "minidlnad"])},
  speech: {
    what: "a local speech engine (espeak-ng, flite or piper)",
    packages: "espeak-ng",
    find: () => firstOf(["espeak-ng", "flite", "piper"]),
  },
  openssl: {what: "OpenSSL", packages: "openssl", find: () => firstOf(["openssl"])},
  jinja: {
    what: "Python's YAML, venv and Jinja2 (the voice tests build Home Assistant's hassil and render its templates)",
    packages: "python3-yaml python3-venv python3-jinja2",
    find: () => pythonWith("import yaml, ensurepip, jinja2"),
  },
  gupnp: {
    what: "GUPnP's Python bindings",
    packages: "python3-gi gir1.2-gupnp-1.6 gir1.2-gssdp-1.6",
    find: () => gupnpPython(),
  },
} as const;

export type SystemNeed = keyof typeof SYSTEM_NEEDS;

const found = new Map<SystemNeed, {path?: string; reason?: string}>();

/**
 * Whether this machine has what a test file drives, else the line that says what is missing and how
 * to install it (the file then skips its tests and prints it). Under CI=true a missing package is a
 * failure, never a skip: CI installs every one.
 */
export function systemNeed(name: SystemNeed, env: NodeJS.ProcessEnv = process.env): {path?: string; reason?: string} {
  const known = found.get(name);
  if (known) return known;
  const need = SYSTEM_NEEDS[name];
  const path = need.find();
  let answer: {path?: string; reason?: string};
  if (path) answer = {path};
  else {
    const install = `apt-get install ${need.packages}`;
    if (env.CI === "true") throw new Error(`${need.what}: not installed (${install}), and CI needs it`);
    answer = {reason: `Skipping the tests that need ${need.what}: not installed (${install})`};
    console.warn(answer.reason);
  }
  found.set(name, answer);
  return answer;
}

/**
 * Every package the tests need, in the order of README.md's one apt-get line: the ones above, and
 * Chromium (test/helpers/browser.ts), lame (programForTests) and ccache (the add-on image test's
 * compiler cache). test/unit/docLinks.test.ts holds the README and .ci/run to it.
 */
export const SYSTEM_PACKAGES = [
  "chromium",
  // Optional: the browser tests run the shell where it is installed (test/helpers/browser.ts).
  "chromium-headless-shell",
  ...new Set(Object.values(SYSTEM_NEEDS).flatMap((n) => n.packages.split(" "))),
  "lame",
  "ccache",
];

function firstOf(candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.startsWith("/")) {
      if (existsSync(c)) return c;
    } else {
      const onPath = findOnPath(c);
      if (onPath) return onPath;
    }
  }
  return undefined;
}

/** Debian's Python, when it has GObject introspection for GUPnP 1.6 (another python3 may not). */
function gupnpPython(): string | undefined {
  return pythonWith('import gi; gi.require_version("GUPnP", "1.6"); gi.require_version("GSSDP", "1.6")');
}

/** Debian's Python, when `code` runs in it (its modules are Debian packages). */
function pythonWith(code: string): string | undefined {
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : findOnPath("python3");
  if (!python) return undefined;
  const probe = spawnSync(python, ["-c", code], {stdio: "ignore", timeout: 10_000});
  return probe.status === 0 ? python : undefined;
}
