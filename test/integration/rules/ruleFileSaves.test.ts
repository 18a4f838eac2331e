import {execFile} from "node:child_process";
import {rename, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it, vi} from "vitest";
import {startEngine} from "../../helpers/rules.js";

const run = promisify(execFile);
const rule = (id: string) =>
  `- id: ${id}\n  triggers: [{trigger: mqtt, topic: home/${id}}]\n  actions: [{action: log, message: "${id}"}]\n`;

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("rule files reload however an editor saves them", () => {
  it("follows in-place writes, safe-write renames, sed -i and new files, one after another", async () => {
    stack = await startEngine({"home.yaml": rule("first")}, {watch: true});
    const file = path.join(stack.rulesDir, "home.yaml");
    const ids = () => stack?.engine.list().map((r) => r.id);
    const expectIds = (expected: string[]) => vi.waitFor(() => expect(ids()).toEqual(expected), {timeout: 5000});

    // An editor's safe write: a temporary file renamed over the rule file.
    await writeFile(`${file}.tmp`, rule("second"));
    await rename(`${file}.tmp`, file);
    await expectIds(["second"]);
    // Then a plain in-place save: the one Node's watcher no longer saw after a rename.
    await writeFile(file, rule("third"));
    await expectIds(["third"]);
    // sed -i (writes a new file and renames it), then in place again.
    await run("sed", ["-i", "s/third/fourth/g", file]);
    await expectIds(["fourth"]);
    await writeFile(file, rule("fifth"));
    await expectIds(["fifth"]);
    // A new file in a new sub-folder.
    await run("mkdir", ["-p", path.join(stack.rulesDir, "more")]);
    await writeFile(path.join(stack.rulesDir, "more", "extra.yaml"), rule("sixth"));
    await expectIds(["fifth", "sixth"]);
  }, 30_000);
});
