import {type ChildProcess, spawn} from "node:child_process";
import {randomUUID} from "node:crypto";
import {chmod, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {ffmpegPath} from "./audio.js";
import {atFileEnd} from "./fileEnd.js";
import {freePort} from "./ports.js";
import {tempDir} from "./tmp.js";

const SOURCE_PASSWORD = "hackme-source";
const ADMIN_PASSWORD = "hackme-admin";

export interface Icecast {
  url: string;
  /** Start ffmpeg sending a generated tone to `/<mount>`, as MP3 or AAC (ADTS). */
  feed(mount: string, format?: "mp3" | "aac"): Promise<void>;
  /** Set a mount's title, as a station's playout does (Icecast's admin metadata update). */
  setTitle(mount: string, title: string): Promise<void>;
  /** Listeners Icecast counts on a mount: the service's upstream connections. */
  listeners(mount: string): Promise<number>;
  /** Stop a mount's source: the station goes off air. */
  unfeed(mount: string): void;
  stop(): Promise<void>;
}

/** Debian's icecast2 on a free loopback port, fed by ffmpeg: a real internet radio server. */
export async function startIcecast(): Promise<Icecast> {
  const dir = await tempDir("yss-icecast-");
  await chmod(dir, 0o777);
  const sources = new Map<string, ChildProcess>();
  // A free port can be taken by another test's listener before Icecast binds it: Icecast then exits
  // at once, and is started again on another port (its own error log says why, if it never answers).
  let started: {server: ChildProcess; url: string} | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    // Named in its config, and asked for by that name: another file's Icecast, started on the same
    // free port a moment before this one (which then exits), answers too, and is not this one.
    const name = `yss-${randomUUID()}`;
    const server = await launch(dir, port, name);
    atFileEnd(() => {
      for (const source of sources.values()) source.kill("SIGKILL");
      server.kill("SIGKILL");
    });
    const url = `http://127.0.0.1:${port}`;
    const exited = () => server.exitCode !== null || server.signalCode !== null;
    // This Icecast's own answer: another test's server on the port (a page for every path, or an
    // Icecast of its own) is not it.
    const answers = async () => {
      const res = await fetch(`${url}/status-json.xsl`).catch(() => undefined);
      return res?.ok === true && (await res.text().catch(() => "")).includes(`"location":"${name}"`);
    };
    await until(async () => exited() || (await answers()), "Icecast to answer").catch(async (err: Error) => {
      server.kill("SIGKILL");
      const log = await readFile(path.join(dir, "error.log"), "utf8").catch(() => "");
      throw new Error(`${err.message}; its error log ends: ${log.slice(-500)}`);
    });
    if (!exited()) started = {server, url};
    else if (attempt >= 3) throw new Error(`Icecast exited at start three times (ports taken?) in ${dir}`);
  }
  const {server, url} = started;
  const admin = {Authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`};
  const mountListeners = async (mount: string) => {
    // Icecast resets a connection now and then while a source joins: that is "not yet", not a failure.
    const res = await fetch(`${url}/admin/listclients?mount=/${mount}`, {headers: admin}).catch(() => undefined);
    if (!res?.ok) return -1;
    return Number(/<Listeners>(\d+)<\/Listeners>/.exec(await res.text())?.[1] ?? 0);
  };
  return {
    url,
    async feed(mount, format = "mp3") {
      const codec =
        format === "mp3"
          ? ["-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3"]
          : ["-c:a", "aac", "-b:a", "96k", "-content_type", "audio/aac", "-f", "adts"];
      // A source that joins while Icecast is busy (a loaded machine) may be refused and exit: it is
      // started again, up to three times, and what ffmpeg said is in the error.
      for (let attempt = 1; ; attempt++) {
        const source = spawn(
          ffmpegPath,
          [
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100",
            "-ac",
            "2",
            ...codec,
            `icecast://source:${SOURCE_PASSWORD}@127.0.0.1:${new URL(url).port}/${mount}`,
          ],
          {stdio: ["ignore", "ignore", "pipe"]},
        );
        let said = "";
        source.stderr?.on("data", (chunk: Buffer) => {
          said = (said + chunk.toString()).slice(-500);
        });
        let gone = false;
        source.once("exit", () => {
          gone = true;
        });
        sources.set(mount, source);
        await until(async () => gone || (await mountListeners(mount)) >= 0, `mount /${mount} on air`, 60_000);
        if (!gone) return;
        if (attempt >= 3) {
          const icecast = server.exitCode === null && server.signalCode === null ? "running" : "gone";
          const log = await readFile(path.join(dir, "error.log"), "utf8").catch(() => "");
          throw new Error(
            `the source for /${mount} exited three times (Icecast ${icecast}): ${said.trim()}; its error log ends: ${log.slice(-500)}`,
          );
        }
      }
    },
    async setTitle(mount, title) {
      const q = new URLSearchParams({mount: `/${mount}`, mode: "updinfo", song: title});
      const res = await fetch(`${url}/admin/metadata?${q}`, {headers: admin});
      if (!res.ok) throw new Error(`Icecast refused the title: ${res.status}`);
    },
    listeners: mountListeners,
    unfeed(mount) {
      sources.get(mount)?.kill("SIGKILL");
      sources.delete(mount);
    },
    async stop() {
      for (const source of sources.values()) source.kill("SIGKILL");
      server.kill("SIGKILL");
      await new Promise((resolve) =>
        server.exitCode === null && server.signalCode === null ? server.once("exit", resolve) : resolve(undefined),
      );
    },
  };
}

export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Icecast with its config in `dir`, listening on `port`. */
async function launch(dir: string, port: number, name: string): Promise<ChildProcess> {
  const config = `<icecast>
  <location>${name}</location>
  <limits><clients>200</clients><sources>10</sources><burst-size>16384</burst-size></limits>
  <authentication>
    <source-password>${SOURCE_PASSWORD}</source-password>
    <admin-user>admin</admin-user><admin-password>${ADMIN_PASSWORD}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>${port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <paths><basedir>${dir}</basedir><logdir>${dir}</logdir><pidfile>${dir}/icecast.pid</pidfile>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot>${process.getuid?.() === 0 ? "<changeowner><user>nobody</user><group>nogroup</group></changeowner>" : ""}</security>
</icecast>`;
  const file = path.join(dir, "icecast.xml");
  await writeFile(file, config);
  await chmod(file, 0o644);
  return spawn("icecast2", ["-c", file], {stdio: "ignore"});
}
