import {type ChildProcess, execFileSync, spawn, spawnSync} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {parse} from "yaml";
import {findOnPath} from "../../../src/core/findProgram.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {freePort, startMosquitto, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {fakeSupervisor, mqttOffer} from "../../helpers/supervisor.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const MOSQUITTO = systemNeed("mosquitto");

const cleanups: Array<() => Promise<unknown>> = [];
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  child = undefined;
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe("the add-on image", () => {
  it.skipIf(!MOSQUITTO.path)(
    "builds from the Dockerfile's own steps outside Docker, then runs as the add-on: options file, the Supervisor's broker, /api/health",
    async () => {
      const work = await tempDir("yss-image-");
      // npm ci (with SQLite's native build) and tsc: about two minutes on two cores, 40 s when the
      // native build is read back from ccache (used when it is installed and no compiler is chosen).
      const build = spawnSync(process.execPath, ["scripts/build-outside-docker.mjs", path.join(work, "image")], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
        timeout: 10 * 60_000,
        env: withCompilerCache(process.env, work),
      });
      expect(build.status, build.stderr.slice(-3000)).toBe(0);
      const image = JSON.parse(build.stdout.trim().split("\n").at(-1) as string) as {
        workdir: string;
        env: Record<string, string>;
        health: string;
        command: string[];
      };
      expect(image.env).toEqual({NODE_ENV: "production"});
      // The Supervisor picks the panel's port at each start: the health check reads it from /data.
      expect(image.health).toBe("http://127.0.0.1:$(cat /data/ingress-port 2>/dev/null || echo 8099)/api/health");
      // Only what runs: compiled code and production modules, no sources, compilers or test tools.
      const has = (p: string) => existsSync(path.join(image.workdir, p));
      expect([
        has("dist/cli.js"),
        has("node_modules/koa"),
        has("node_modules/sqlite3"),
        has("rules/sleepy-dragon.yaml"),
        has("dist/ui/index.html"),
      ]).toEqual([true, true, true, true, true]);
      expect([
        has("src"),
        has("node_modules/typescript"),
        has("node_modules/vitest"),
        has("node_modules/@ffmpeg-installer/ffmpeg"),
        // The panel is bundled at build time; Lit and Vite stay behind.
        has("node_modules/lit"),
        has("node_modules/vite"),
      ]).toEqual([false, false, false, false, false, false]);
      expect(image.command.slice(-2)).toEqual([path.join(image.workdir, "dist/cli.js"), "start"]);

      // Home Assistant's side: its Mosquitto, offered by the Supervisor to holders of the token.
      const mosquitto = await startMosquitto();
      cleanups.push(() => mosquitto.stop());
      const supervisor = await fakeSupervisor(mqttOffer(mosquitto.port));
      cleanups.push(() => supervisor.close());
      // /data/options.json as the Supervisor writes it: config.yaml's defaults, this machine's folders and ports.
      const manifest = parse(readFileSync(path.join(PACKAGE_ROOT, "config.yaml"), "utf8"));
      const root = await tempDir("yss-addon-");
      const ingressPort = await freePort();
      const options = {
        ...manifest.options,
        media_dirs: [path.join(root, "media")],
        rules_dir: path.join(root, "config", "rules"),
        data_dir: path.join(root, "data"),
      };
      await mkdir(path.join(root, "media"), {recursive: true});
      const optionsFile = path.join(root, "options.json");
      await writeFile(optionsFile, JSON.stringify(options));

      const [, ...args] = image.command;
      // The add-on takes its ports from the Supervisor; flags move them here so the test needs no well-known port.
      const ports = ["--audio_port", String(await freePort()), "--ingress_port", String(ingressPort)];
      child = spawn(process.execPath, [...args, "--options", optionsFile, ...ports], {
        cwd: image.workdir,
        env: {
          ...process.env,
          ...image.env,
          SUPERVISOR_TOKEN: "sup-token",
          SUPERVISOR_URL: supervisor.url,
          TZ: "Europe/Paris",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (chunk) => (output += chunk));
      child.stderr?.on("data", (chunk) => (output += chunk));
      // The health check's own shell, its /data being this test's data folder.
      const healthUrl = () =>
        execFileSync("sh", ["-c", `echo "${image.health.replace("/data/", `${options.data_dir}/`)}"`], {
          encoding: "utf8",
        }).trim();
      let health: {status?: string; services?: Record<string, {details?: Record<string, unknown>}>} = {};
      for (let i = 0; i < 200 && health.status === undefined; i++) {
        health = await fetch(healthUrl())
          .then((r) => r.json() as Promise<typeof health>)
          .catch(() => ({}));
        if (health.status === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health.status, output).toBeDefined();
      expect(health.services?.["mqtt-broker"]?.details).toMatchObject({
        kind: "external",
        reason: "offered by the Supervisor",
      });
      expect(health.services?.rules?.details).toMatchObject({timeZone: "Europe/Paris"});
      // Its own ports, the broker it offers, then Home Assistant's own URLs (trusted as fetch sources).
      expect(healthUrl()).toBe(`http://127.0.0.1:${ingressPort}/api/health`);
      // Beside them, and in any order with them, the MCP server's offer (the host's address from
      // /network/info, then POST /discovery): see haMcpFlow.test.ts.
      await waitFor(() => supervisor.calls.length === 7, "its ports, then Home Assistant's URLs learnt");
      const network = "GET /network/info Bearer sup-token";
      const others = supervisor.calls.filter((c) => c !== network && c !== "POST /discovery Bearer sup-token");
      expect(others).toEqual([
        "GET /addons/self/info Bearer sup-token",
        "GET /services/mqtt Bearer sup-token",
        "GET /core/api/config Bearer sup-token",
        "GET /core/info Bearer sup-token",
      ]);
      expect(supervisor.calls.filter((c) => c === network)).toHaveLength(2);
      // Home Assistant's URLs: the host's addresses are asked for after Core's port.
      expect(supervisor.calls.lastIndexOf(network)).toBeGreaterThan(
        supervisor.calls.indexOf("GET /core/info Bearer sup-token"),
      );
      const watcher = await watchBroker(mosquitto.url, ["yoto/bridge/state"]);
      await waitFor(
        () => watcher.lastJson("yoto/bridge/state")?.state === "online",
        "the bridge online on HA's broker",
      );
      await watcher.close();
      // The first start writes a commented example into the (app_config) rules folder.
      expect(existsSync(path.join(root, "config", "rules", "example.yaml"))).toBe(true);

      const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    },
    12 * 60_000,
  );
});

/**
 * The environment with ccache as the C and C++ compiler, when it is installed and none is chosen.
 * The build runs in a new temporary folder each time: paths under it are made relative, and the
 * folder itself left out of the hash, so the next run's compile is read back, not done again.
 */
function withCompilerCache(env: NodeJS.ProcessEnv, workDir: string): NodeJS.ProcessEnv {
  const relative = {CCACHE_BASEDIR: workDir, CCACHE_NOHASHDIR: "1"};
  if (env.CC?.includes("ccache")) return {...env, ...relative};
  if (env.CC || env.CXX || !findOnPath("ccache", env)) return env;
  return {...env, CC: "ccache gcc", CXX: "ccache g++", ...relative};
}
