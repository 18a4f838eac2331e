import {chmod, writeFile} from "node:fs/promises";
import type {ServerResponse} from "node:http";
import path from "node:path";
import {ffmpegPath} from "./audio.js";
import {tinyServer} from "./radio.js";
import {tempDir} from "./tmp.js";

export interface GatedFfmpeg {
  /** The script to give the app as its ffmpeg. */
  path: string;
  /** The titles of the runs that asked the gate, in order. */
  asked: string[];
  /** Let the runs writing `title` go (those waiting and those to come), or every run without a title. */
  release(title?: string): void;
  /** Resolves once `count` runs wait at the gate at the same time. */
  held(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real ffmpeg behind a gate: a run that writes a title (making a track playable) first asks
 * the test's gate server, which holds it until that title is released; titles in `free` go at once.
 * What a test holds is then what it sees, however busy the machine.
 */
export async function gatedFfmpeg(free: readonly string[] = []): Promise<GatedFfmpeg> {
  const asked: string[] = [];
  const open = new Set(free);
  let all = false;
  const waiting: Array<{title: string; res: ServerResponse}> = [];
  const watchers: Array<{count: number; resolve: () => void}> = [];
  const gate = await tinyServer((req, res) => {
    const title = new URL(req.url ?? "/", "http://gate").searchParams.get("title") ?? "";
    asked.push(title);
    if (all || open.has(title)) return void res.end();
    waiting.push({title, res});
    for (const w of watchers.splice(0)) {
      if (waiting.length >= w.count) w.resolve();
      else watchers.push(w);
    }
  });
  const script = path.join(await tempDir("yss-gate-"), "ffmpeg");
  await writeFile(
    script,
    `#!/usr/bin/env node
const {spawn} = require("node:child_process");
const http = require("node:http");
const args = process.argv.slice(2);
const title = (args.find((a) => a.startsWith("title=")) ?? "").slice(6);
const run = () => spawn(${JSON.stringify(ffmpegPath)}, args, {stdio: "inherit"}).on("exit", (code) => process.exit(code ?? 1));
if (!title) run();
else http.get(${JSON.stringify(gate.url)} + "/?title=" + encodeURIComponent(title), (res) => res.resume().on("end", run));
`,
  );
  await chmod(script, 0o755);
  return {
    path: script,
    asked,
    release: (title) => {
      if (title === undefined) all = true;
      else open.add(title);
      for (let i = waiting.length - 1; i >= 0; i--) {
        const w = waiting[i] as {title: string; res: ServerResponse};
        if (title !== undefined && w.title !== title) continue;
        waiting.splice(i, 1);
        w.res.end();
      }
    },
    held: (count) =>
      new Promise<void>((resolve) => (waiting.length >= count ? resolve() : watchers.push({count, resolve}))),
    close: gate.close,
  };
}
