import type {ChildProcess} from "node:child_process";
import {mkdtemp, readFile, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {WarmProcesses} from "../../../src/announce/warmProcesses.js";

/** A program that notes its pid in `log` as it starts, then waits on its input (as ffmpeg does). */
const noting = (log: string): [string, string[]] => ["sh", ["-c", `echo $$ >> '${log}'; exec cat > /dev/null`]];
const started = async (log: string) => (await readFile(log, "utf8").catch(() => "")).split("\n").filter(Boolean);
const finish = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.stdin?.end();
  });

describe("processes started before they are needed", () => {
  let dir = "";
  let warm: WarmProcesses | undefined;
  afterEach(async () => {
    warm?.stop();
    await rm(dir, {recursive: true, force: true});
  });

  it("starts the next ones only once no process it handed over is at work, and hands over one already started", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "yss-warm-"));
    const [speech, encoder] = [path.join(dir, "speech"), path.join(dir, "encoder")];
    warm = new WarmProcesses({maxDeferMs: 60_000});
    // An announcement: its speech engine finishes first, its encoder goes on.
    const engine = warm.take(...noting(speech));
    const encoding = warm.take(...noting(encoder), 2);
    await vi.waitFor(async () => expect((await started(speech)).length + (await started(encoder)).length).toBe(2));
    await finish(engine);
    // Starting a process blocks this thread: none starts while the encoder works.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await started(speech)).toHaveLength(1);

    await finish(encoding);
    await vi.waitFor(async () => {
      expect(await started(speech)).toHaveLength(2);
      expect(await started(encoder)).toHaveLength(3);
    });
    // The next announcement gets the ones that waited: nothing starts as it asks.
    const next = warm.take(...noting(speech));
    const waited = await started(speech);
    expect(String(next.pid)).toBe(waited[1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await started(speech)).toEqual(waited);
    await finish(next);
  });

  it("does not wait for one that never finishes", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "yss-warm-"));
    const [hung, done] = [path.join(dir, "hung"), path.join(dir, "done")];
    warm = new WarmProcesses({maxDeferMs: 200});
    const stuck = warm.take(...noting(hung));
    await finish(warm.take(...noting(done)));
    await vi.waitFor(async () => expect(await started(done)).toHaveLength(2));
    stuck.kill("SIGKILL");
  });

  it("starts none while a hold is on (an announcement's audio still going out), then starts them", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "yss-warm-"));
    const encoder = path.join(dir, "encoder");
    warm = new WarmProcesses({maxDeferMs: 60_000});
    const release = warm.hold();
    await finish(warm.take(...noting(encoder)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await started(encoder)).toHaveLength(1);
    release();
    await vi.waitFor(async () => expect(await started(encoder)).toHaveLength(2));
    // Released twice counts once: a second hold still holds.
    const second = warm.hold();
    release();
    await finish(warm.take(...noting(encoder)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await started(encoder)).toHaveLength(2);
    second();
    await vi.waitFor(async () => expect(await started(encoder)).toHaveLength(3));
  });
});
