import {readFileSync} from "node:fs";
import path from "node:path";
import {addonNetwork} from "./app/addonPorts.js";
import type {App} from "./app/app.js";
import {networkLines} from "./app/welcomeNetwork.js";
import {fromAnotherDevice, linkSteps} from "./app/welcomeNext.js";
import {BROKER_LOGIN_FILE} from "./broker/login.js";
import {ConfigError, type LoadedConfig, loadConfig} from "./config/load.js";
import {didYouMean} from "./core/closest.js";
import {errorMessage} from "./core/errors.js";
import {locateFfmpeg} from "./core/ffmpeg.js";
import {findOnPath} from "./core/findProgram.js";
import {Logger} from "./core/logger.js";
import {ProcessGuard} from "./core/processGuard.js";
import {DEMO_STREAM, type RunningDemo, startDemo} from "./demo/demoLaunch.js";
import {demoOnlyFlag, demoPorts} from "./demo/demoPorts.js";
import {streamPath} from "./links/audioPaths.js";
import {PACKAGE_ROOT} from "./paths.js";
import type {YotoSimulator} from "./sim/simulator.js";

const USAGE = `Usage: yoto-smart-stream [command] [--option value ...]

Commands:
  start   run the service (default): options from /data/options.json, --options FILE, YSS_* env, flags
  demo    run everything locally with generated sample audio (state in ./demo-data);
          --sim_port N, --radio_port N pin its simulator's and radio station's ports
  rules check [DIR]                       check rule files; exit 1 on errors
  rules simulate --at ISO [--event JSON]  what would fire then, and what it would do
  stories import FILE [DIR] [--replace]   a Twine or ink story as a story file under DIR (./rules)
  help    show this text (also --help, -h); --version (-v) prints the version

Options use the add-on's names, e.g. --audio_port 8080 --media_dirs /music,/stories --log_level debug`;

const COMMANDS = ["start", "demo", "rules", "stories", "help", "version"];

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // `--help`, `-h` and `--version` are commands too, wherever they are given.
  const asked = argv.find((a) => ["--help", "-h", "--version", "-v"].includes(a));
  const command =
    asked && first !== "rules" && first !== "stories" ? asked : first && !first.startsWith("-") ? first : "start";
  const flags = command === first ? rest : argv;
  switch (command) {
    case "start":
      return run(flags, false);
    case "demo":
      return run(flags, true);
    case "rules": {
      // Each command loads only what it runs: help, the version and a rules check answer without
      // the whole service (the unbuilt checkout compiles every module it loads).
      const {rulesCommand} = await import("./rules/cli.js");
      return rulesCommand(rest, (line) => console.log(line));
    }
    case "stories":
      return (await import("./stories/import/cli.js")).storiesCommand(rest, (line) => console.log(line));
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    case "version":
    case "--version":
    case "-v":
      console.log(packageVersion());
      return 0;
    default:
      console.error(`Unknown command '${command}'${didYouMean(command, COMMANDS)}.\n\n${USAGE}`);
      return 2;
  }
}

async function run(flags: string[], demo: boolean): Promise<number> {
  // The demo's own servers' ports are its flags, not the service's options.
  const ports = demo ? demoPorts(flags, process.env) : {rest: flags};
  const problem = "error" in ports ? ports.error : demo ? undefined : demoOnlyFlag(flags);
  if (problem || "error" in ports) {
    console.error(problem);
    return 2;
  }
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({argv: ports.rest, env: process.env});
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const {config} = loaded;
  const log = new Logger({level: config.log_level});
  for (const notice of loaded.notices) log.warning(notice);
  // Inside Home Assistant the Supervisor offers its MQTT broker and says this add-on's ports to
  // holders of this token (HASSIO_TOKEN is its older name). SUPERVISOR_URL is for a stand-in.
  const supervisor = {
    url: process.env.SUPERVISOR_URL ?? "http://supervisor",
    token: process.env.SUPERVISOR_TOKEN ?? process.env.HASSIO_TOKEN,
  };
  const addon = loaded.homeAssistant && !demo && supervisor.token ? await addonNetwork(loaded, supervisor, log) : {};
  if (!addon) return 1;
  const ffmpeg = locateFfmpeg();
  if (ffmpeg) log.info(`Using ffmpeg at '${ffmpeg.path}' (from ${ffmpeg.source})`);
  else log.warning("ffmpeg was not found: uploads cannot be normalised; install ffmpeg or set FFMPEG_PATH");
  // Optional: local speech starts sooner through lame than through a distribution's ffmpeg.
  const lame = findOnPath("lame");
  if (lame) log.info(`Announcements' speech is encoded with lame at '${lame}'`);

  const running: RunningDemo | undefined = demo ? await startDemo(loaded, ports, ffmpeg?.path, log) : undefined;
  const sim = running?.sim;

  // Only a real install looks for media servers on the home network (SSDP multicast); the demo
  // searches this machine only, as the App does unless told (tests and benchmarks build it so).
  const ssdpScope = demo ? "machine" : "network";
  const {App} = await import("./app/app.js");
  const app = new App({
    config,
    homeAssistant: loaded.homeAssistant,
    version: packageVersion(),
    log,
    ffmpegPath: ffmpeg?.path,
    lamePath: lame,
    linkToOwnAudioListener: demo,
    ssdpScope,
    cloud: sim ? {...sim.endpoints, forgetSavedLogin: true} : undefined,
    virtualHands: running ? running.kit.simulatorHands(running.sim) : undefined,
    supervisor,
    brokerHost: addon.brokerHost,
  });
  // Before start: plugins load then, and may fail asynchronously from their first moment.
  const guard = new ProcessGuard({
    log,
    claim: (error, kind) => app.rules.claimUncaught(error, kind),
    onFatal: () => stopAndExit(app, log),
  });
  guard.start();
  try {
    await app.start();
  } catch (err) {
    log.error(errorMessage(err));
    await running?.stop();
    guard.stop();
    return 1;
  }
  const storyCard = await running?.afterStart(app);
  const stopped = untilSignal(app, log);
  printWelcome(app, sim, storyCard, ssdpScope);
  await stopped;
  await running?.stop();
  guard.stop();
  return 0;
}

/** After a bug in the service itself: release what can be released (bounded), then exit 1. */
function stopAndExit(app: App, log: Logger): void {
  const STOP_LIMIT_MS = 5000;
  setTimeout(() => process.exit(1), STOP_LIMIT_MS).unref();
  app.stop().then(
    () => process.exit(1),
    (err) => {
      log.error(`Stop failed (${errorMessage(err)})`);
      process.exit(1);
    },
  );
}

function printWelcome(app: App, sim: YotoSimulator | undefined, storyCard: string | undefined, ssdp: string): void {
  const lines = [
    "",
    "Yoto Smart Stream is running.",
    `  Panel:        ${app.admin.url}/`,
    `  Health:       ${app.admin.url}/api/health`,
    `  Assistants:   ${app.admin.url}/mcp (MCP; make a token on the panel's Assistants page)`,
    `  Audio (public, signed URLs only): ${app.audio.url}`,
  ];
  const broker = app.broker.health().details;
  if (broker.url)
    lines.push(
      `  MQTT:         ${broker.url} (${broker.kind === "embedded" ? "embedded broker" : "external broker"}; topics under '${app.config.base_topic}/', discovery under '${app.config.discovery_prefix}/')`,
    );
  // Where to find the embedded broker's login, never the password itself: this goes to the add-on's log.
  const login = app.broker.summary().login;
  if (login)
    lines.push(
      `  MQTT login:   user '${login.username}', password ${login.source === "generated" ? `in '${path.resolve(app.config.data_dir, BROKER_LOGIN_FILE)}' and at ${app.admin.url}/api/mqtt` : "from embedded_broker_password"}`,
    );
  lines.push(...networkLines(app, ssdp));
  if (app.streams.has(DEMO_STREAM)) {
    const pathname = streamPath(DEMO_STREAM);
    lines.push(`  Demo stream:  ${app.links.absolute(pathname) ?? `${app.audio.url}${app.links.signed(pathname)}`}`);
  }
  const sample = app.library.list({limit: 1}).items[0];
  if (sample)
    lines.push(
      `  Sample track: ${app.links.absolute(app.links.itemPath(sample)) ?? `${app.audio.url}${app.links.signed(app.links.itemPath(sample))}`}`,
    );
  if (sim) {
    const names = [...sim.players.values()].map((p) => `${p.spec.name} (${p.spec.deviceId})`).join(", ");
    lines.push(
      `  Yoto cloud simulator: ${sim.url} with virtual players ${names}`,
      `    press a button:  curl -X POST ${sim.url}/sim/players/<id>/press -d '{"button":"right"}'`,
      `    insert the demo card: curl -X POST ${sim.url}/sim/players/<id>/card -d '{"cardId":"demo1"}'`,
    );
    if (storyCard)
      lines.push(
        `  Story card:   The Sleepy Dragon (${storyCard}); insert it, then press left/right:`,
        `    curl -X POST ${sim.url}/sim/players/<id>/card -d '{"cardId":"${storyCard}"}'`,
      );
    const first = [...sim.players.values()][0];
    if (first)
      lines.push(
        `  Announce:     ${first.spec.name} says something, then goes back to its card where it was:`,
        `    curl -X POST ${app.admin.url}/api/players/${first.spec.deviceId}/announce -H 'Content-Type: application/json' -d '{"message":"Dinner is ready","chime":true}'`,
      );
  }
  if (!sim && app.account.status().state !== "linked") lines.push(...linkSteps(app));
  if (!app.homeAssistant) lines.push(fromAnotherDevice(app));
  if (sim) lines.push("", "Press Ctrl+C to stop. State is kept in", `  ${path.resolve(app.config.data_dir)}`);
  // Say plainly what is not running, with why (the log has the details).
  const down = Object.entries(app.health().services).filter(([, s]) => s.state !== "running");
  if (down.length) lines.push("", "Not running:", ...down.map(([name, s]) => `  ${name}: ${s.error ?? s.state}`));
  console.log(lines.join("\n"));
}

/**
 * One Ctrl+C can arrive more than once: the terminal sends it to the whole foreground process group,
 * and a runner in that group (npm, tsx) forwards its own copy to this process too. A signal this soon
 * after the first is that same press; a later one is someone asking again, and exits at once.
 */
const SAME_PRESS_MS = 1000;

/** Until a signal stopped the app; listening before "is running" is printed, so a Ctrl+C at once is taken. */
function untilSignal(app: App, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stoppingSince: number | undefined;
    const onSignal = (signal: string) => {
      if (stoppingSince !== undefined) {
        if (performance.now() - stoppingSince < SAME_PRESS_MS) return;
        log.warning(`Second ${signal}: exiting now`);
        process.exit(1);
      }
      stoppingSince = performance.now();
      log.info(`${signal} received, stopping`);
      app.stop().then(
        () => {
          log.info("Stopped");
          resolve();
        },
        (err) => {
          log.error(`Stop failed (${errorMessage(err)})`);
          resolve();
        },
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {version: string}).version;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`yoto-smart-stream: ${errorMessage(err)}`);
    process.exit(1);
  },
);
