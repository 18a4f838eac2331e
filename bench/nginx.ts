import {type ChildProcess, execFileSync, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, readFile, writeFile} from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import {freePort} from "../test/helpers/ports.js";
import type {ServerProcess} from "./lib.js";

/** nginx on PATH or in Debian's place, or undefined: the benchmark then says it was skipped. */
export function findNginx(): string | undefined {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx"]) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync("sh", ["-c", "command -v nginx"], {encoding: "utf8"}).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * nginx serving one file with sendfile, one worker (as our Node process is one thread of work),
 * in the foreground with its own temp folder. CPU time is read from /proc for master and workers.
 */
export async function startNginx(binary: string, file: string, workDir: string): Promise<ServerProcess> {
  const port = await freePort();
  const prefix = path.join(workDir, "nginx");
  await mkdir(path.join(prefix, "logs"), {recursive: true});
  const conf = path.join(prefix, "nginx.conf");
  await writeFile(
    conf,
    `daemon off;
${process.getuid?.() === 0 ? "user root; # the worker must read files in our private temp folder\n" : ""}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location = /audio.mp3 { alias ${file}; default_type audio/mpeg; }
  }
}
`,
  );
  const child: ChildProcess = spawn(binary, ["-p", prefix, "-c", conf], {stdio: ["ignore", "ignore", "inherit"]});
  await waitForPort(port);
  const pids = () => [child.pid as number, ...childrenOf(child.pid as number)];
  const url = `http://127.0.0.1:${port}/audio.mp3`;
  return {
    url,
    urls: [url],
    cpuSeconds: async () => (await Promise.all(pids().map(cpuOf))).reduce((a, b) => a + b, 0),
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGQUIT");
      await exited;
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], {encoding: "utf8"})
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function cpuOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second here).
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not start on port ${port}`);
}
