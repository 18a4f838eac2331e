import {chmod, writeFile} from "node:fs/promises";
import type {ServerResponse} from "node:http";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {ffmpegPath} from "../../helpers/audio.js";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {tinyServer} from "../../helpers/radio.js";
import {untilAdded} from "../../helpers/streamAdding.js";
import {tempDir} from "../../helpers/tmp.js";

let stack: ArchiveStack | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const close of closers.splice(0)) await close();
});

/**
 * The real ffmpeg behind a gate: a run that writes the title `free` goes at once, any other that
 * writes a title (making a track playable) first asks the test's gate server, which holds it until
 * `release()`. `held(n)` resolves once n runs wait at the same time; `asked` lists the titles.
 */
async function gatedFfmpeg(free: string) {
  const asked: string[] = [];
  let holding = 0;
  let open = false;
  const waiting: ServerResponse[] = [];
  const watchers: Array<{count: number; resolve: () => void}> = [];
  const gate = await tinyServer((req, res) => {
    const title = new URL(req.url ?? "/", "http://gate").searchParams.get("title") ?? "";
    asked.push(title);
    if (open || title === free) return void res.end();
    waiting.push(res);
    holding++;
    for (const w of watchers.splice(0)) {
      if (holding >= w.count) w.resolve();
      else watchers.push(w);
    }
  });
  closers.push(gate.close);
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
    release: () => {
      open = true;
      for (const res of waiting.splice(0)) res.end();
    },
    held: (count: number) =>
      new Promise<void>((resolve) => (holding >= count ? resolve() : watchers.push({count, resolve}))),
  };
}

describe("an archived card played as a stream", () => {
  it("answers with the first track in while the others are made, two at a time, then every track is in, in order", async () => {
    const ffmpeg = await gatedFfmpeg("The Owl");
    // However busy the machine, the answer waits for the first track: what is held is what is tested.
    stack = await archiveStack([], {app: {ffmpegPath: ffmpeg.path, streams: {firstWaitMs: 60_000}}});
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "gran1", "Grandma's stories", [
      {title: "The Owl"},
      {title: "The Fox"},
      {title: "The Moon"},
      {title: "The Bear"},
    ]);
    expect((await archiveNow(api)).run).toMatchObject({state: "done", problems: []});

    const answer = await call("POST", `${api}/archive/gran1/stream`, {});
    expect(answer.status, answer.body.error).toBe(200);
    expect(answer.body).toMatchObject({stream: "archive-gran1", items: 4, ready: 1});
    const titles = () => t.app.streams.get("archive-gran1").items.map((id) => t.app.library.get(id)?.title);
    expect(titles()).toEqual(["The Owl"]);
    expect(t.app.streams.adding("archive-gran1")).toEqual({
      under_way: true,
      done: 1,
      total: 4,
      failed: [],
      failed_count: 0,
    });
    // Two ffmpeg passes at once: the fox and the moon wait, the bear is not begun.
    await ffmpeg.held(2);
    expect([...ffmpeg.asked].sort()).toEqual(["The Fox", "The Moon", "The Owl"]);
    const done = untilAdded(t.app, "archive-gran1");
    ffmpeg.release();
    expect(await done).toMatchObject({under_way: false, done: 4, total: 4, failed_count: 0});
    expect(titles()).toEqual(["The Owl", "The Fox", "The Moon", "The Bear"]);
  }, 60_000);
});
