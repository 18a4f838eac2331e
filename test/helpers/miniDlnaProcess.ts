import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {freePort} from "./ports.js";

export const MINIDLNA = ["/usr/sbin/minidlnad", "/usr/bin/minidlnad"].find((p) => existsSync(p)) ?? "minidlnad";

/** A running MiniDLNA: its description address, and how to stop it or start it again. */
export interface MiniDlnaProcess {
  descriptionUrl: string;
  controlUrl: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Debian's MiniDLNA over `mediaDir` on a free loopback port, its database and log in `workDir`,
 * waited for until it has indexed `tracks` audio files (it scans in the background). Used by the
 * tests and the bench alike, so it imports nothing of the test runner.
 */
export async function startMiniDlnaProcess(
  workDir: string,
  mediaDir: string,
  tracks: number,
): Promise<MiniDlnaProcess> {
  const port = await freePort();
  const conf = path.join(workDir, "minidlna.conf");
  await writeFile(
    conf,
    [
      `port=${port}`,
      "listening_ip=127.0.0.1",
      `media_dir=A,${mediaDir}`,
      `db_dir=${path.join(workDir, "db")}`,
      `log_dir=${workDir}`,
      "friendly_name=Family NAS",
      "inotify=no",
      "notify_interval=60",
      `uuid=4d696e69-444c-164e-9d41-${String(port).padStart(12, "0")}`,
      "",
    ].join("\n"),
  );
  const descriptionUrl = `http://127.0.0.1:${port}/rootDesc.xml`;
  const controlUrl = `http://127.0.0.1:${port}/ctl/ContentDir`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(MINIDLNA, ["-S", "-f", conf, "-P", path.join(workDir, "minidlna.pid"), "-R"], {
      stdio: "ignore",
    });
    child = started;
    try {
      await until(
        async () => (await fetch(descriptionUrl).catch(() => undefined))?.ok === true,
        "MiniDLNA to answer",
        15_000,
      );
      await until(async () => (await countTracks(controlUrl)) >= tracks, "MiniDLNA to list every track", 120_000);
    } catch (err) {
      // Never left running by a start that gave up: nothing else holds it.
      started.kill("SIGKILL");
      throw err;
    }
  };
  await start();
  return {
    descriptionUrl,
    controlUrl,
    async stop() {
      const c = child;
      // Killed by a signal, a process has a signalCode and no exitCode: stopped either way.
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill("SIGKILL");
      await new Promise((resolve) => c.once("exit", resolve));
    },
    restart: start,
  };
}

/** How many audio items MiniDLNA has indexed (a search over everything). */
async function countTracks(controlUrl: string): Promise<number> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Search xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ContainerID>0</ContainerID><SearchCriteria>upnp:class derivedfrom "object.item.audioItem"</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>1</RequestedCount><SortCriteria></SortCriteria></u:Search></s:Body></s:Envelope>`;
  const res = await fetch(controlUrl, {
    method: "POST",
    headers: {
      "Content-Type": 'text/xml; charset="utf-8"',
      SOAPACTION: '"urn:schemas-upnp-org:service:ContentDirectory:1#Search"',
    },
    body,
  }).catch(() => undefined);
  const text = (await res?.text()) ?? "";
  return Number(/<TotalMatches>(\d+)<\/TotalMatches>/.exec(text)?.[1] ?? 0);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
