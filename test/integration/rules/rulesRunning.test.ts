import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {startEngine} from "../../helpers/rules.js";

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

const firedAt = (id: string) =>
  stack!.engine
    .traces(id)
    .map((t) => t.trigger.at)
    .reverse();

/** A rule that only logs, so its traces show exactly when it ran. */
const logRule = (id: string, trigger: string, extra = "") => `
- id: ${id}
  triggers:
    - ${trigger}
${extra}  actions:
    - action: log
      message: "${id} ran"
`;

describe("time triggers with fake time (Europe/London)", () => {
  it("fires 'at' exactly at the wall-clock time, once per day", async () => {
    vi.useFakeTimers({
      now: Date.parse("2026-12-01T18:59:58Z"),
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    stack = await startEngine({"r.yaml": logRule("evening", 'trigger: time\n      at: "19:00"')});
    await vi.advanceTimersByTimeAsync(1000);
    expect(firedAt("evening")).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    expect(firedAt("evening")).toEqual(["2026-12-01T19:00:00.000Z", "2026-12-02T19:00:00.000Z"]);
  });

  it("neither skips nor repeats a time the clocks jump over or repeat", async () => {
    vi.useFakeTimers({
      now: Date.parse("2026-03-28T12:00:00Z"),
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    stack = await startEngine({
      "r.yaml":
        logRule("night", 'trigger: time\n      at: "01:30"') +
        logRule("cron", 'trigger: time\n      cron: "30 1 * * *"'),
    });
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    // 29 March: 01:30 does not exist (01:00 → 02:00 BST); both fire at the jump, once.
    expect(firedAt("night")).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
    expect(firedAt("cron")).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
    await stack.stop();

    vi.setSystemTime(Date.parse("2026-10-24T12:00:00Z"));
    stack = await startEngine({"r.yaml": logRule("night", 'trigger: time\n      at: "01:30"')});
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    // 25 October: 01:30 happens twice (BST, then GMT); the rule runs at the first only.
    expect(firedAt("night")).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
  });

  it("keeps a window that crosses midnight, and patterns fire on the pattern", async () => {
    vi.useFakeTimers({
      now: Date.parse("2026-12-04T12:00:30Z"),
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    stack = await startEngine(
      {
        // tracesPerRule is raised below so a whole day of hourly runs is kept.
        "r.yaml":
          logRule(
            "nightly",
            "trigger: time_pattern\n      minutes: 0",
            '  conditions:\n    - condition: time\n      after: "22:00"\n      before: "06:00"\n      weekday: fri\n',
          ) + logRule("quarter", 'trigger: time_pattern\n      minutes: "/15"'),
      },
      {tracesPerRule: 100},
    );
    await vi.advanceTimersByTimeAsync(86_400_000);
    const ran = stack.engine
      .traces("nightly")
      .filter((t) => t.result === "completed")
      .map((t) => new Date(t.trigger.at as string).getUTCHours())
      .reverse();
    // Friday 22:00 to Saturday 06:00 belongs to Friday.
    expect(ran).toEqual([22, 23, 0, 1, 2, 3, 4, 5]);
    expect(stack.engine.traces("nightly").filter((t) => t.result === "condition_failed")).toHaveLength(16);
    expect(firedAt("quarter").slice(0, 3)).toEqual([
      "2026-12-04T12:15:00.000Z",
      "2026-12-04T12:30:00.000Z",
      "2026-12-04T12:45:00.000Z",
    ]);
  });
});

const slowRule = (mode: string) => `
- id: slow
  mode: ${mode}
  max: 2
  triggers:
    - trigger: startup
  actions:
    - delay: 10
    - action: log
      message: "done {{ trigger.n }}"
`;

describe("modes and failures", () => {
  for (const [mode, expected] of [
    ["single", ["completed", "skipped", "skipped"]],
    ["restart", ["aborted", "aborted", "completed"]],
    ["queued", ["completed", "completed", "skipped"]],
    ["parallel", ["completed", "completed", "skipped"]],
  ] as const) {
    it(`mode ${mode} behaves as Home Assistant's`, async () => {
      vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "Date"]});
      stack = await startEngine({"r.yaml": slowRule(mode)});
      await vi.advanceTimersByTimeAsync(20_000); // let the startup run finish
      const before = stack.engine.traces("slow").length;
      for (const n of [1, 2, 3]) void stack.engine.run("slow", {n});
      await vi.advanceTimersByTimeAsync(60_000);
      const runs = stack.engine.traces("slow").slice(0, stack.engine.traces("slow").length - before);
      // By the trigger that started each: the first, second and third press.
      const byPress = [1, 2, 3].map((n) => runs.find((t) => t.trigger.n === n)?.result);
      expect(byPress).toEqual(expected);
      if (mode === "single")
        expect(
          stack.lines.some((l) =>
            l.includes("Rule 'slow' triggered by manual but not run: already running (mode: single)"),
          ),
        ).toBe(true);
    });
  }

  it("a throwing action ends its own run only; the next run and other rules go on", async () => {
    stack = await startEngine({
      "r.yaml": `
- id: fragile
  triggers: [{trigger: mqtt, topic: home/go}]
  actions:
    - action: stream.replace
      stream: bedtime
      items: []
    - action: stream.use_preset
      stream: bedtime
      preset: "{{ trigger.payload }}"
    - action: log
      message: never reached
- id: sturdy
  triggers: [{trigger: mqtt, topic: home/go}]
  actions:
    - action: log
      message: "sturdy saw {{ trigger.payload }}"
`,
    });
    stack.engine.dispatcher.deliverMqtt("home/go", "calm");
    await vi.waitFor(() => expect(stack!.engine.traces("fragile")[0]?.result).toBe("error"));
    const trace = stack.engine.traces("fragile")[0]!;
    expect(trace.actions.map((a) => [a.path, a.error ?? "ok"])).toEqual([
      ["[0].actions[0]", "ok"],
      ["[0].actions[1]", "Stream 'bedtime' has no preset 'calm'"],
    ]);
    expect(
      stack.lines.some((l) =>
        l.includes(
          "Rule 'fragile' stopped at [0].actions[1] (stream.use_preset): Stream 'bedtime' has no preset 'calm'",
        ),
      ),
    ).toBe(true);
    await vi.waitFor(() => expect(stack!.engine.traces("sturdy")[0]?.result).toBe("completed"));
    await stack.streams.definePreset("bedtime", "calm", []);
    stack.engine.dispatcher.deliverMqtt("home/go", "calm");
    await vi.waitFor(() => expect(stack!.engine.traces("fragile")[0]?.result).toBe("completed"));
  });
});

describe("continue_on_error", () => {
  it("keeps a failed step in the trace and goes on, while stop still ends the run", async () => {
    stack = await startEngine({
      "r.yaml": `
- id: lenient
  triggers: [{trigger: mqtt, topic: home/go}]
  actions:
    - action: stream.use_preset
      stream: bedtime
      preset: missing
      continue_on_error: true
    - action: log
      message: went on
    - stop: done here
      continue_on_error: true
    - action: log
      message: never reached
`,
      "bedtime.yaml":
        "- id: make\n  triggers: [{trigger: startup}]\n  actions: [{action: stream.replace, stream: bedtime, items: []}]\n",
    });
    await vi.waitFor(() => expect(stack!.engine.traces("make")[0]?.result).toBe("completed"));
    stack.engine.dispatcher.deliverMqtt("home/go", "x");
    await vi.waitFor(() => expect(stack!.engine.traces("lenient")[0]?.result).toBeDefined());
    await vi.waitFor(() => expect(stack!.engine.traces("lenient")[0]?.result).not.toBe("running"));
    const trace = stack.engine.traces("lenient")[0]!;
    expect(trace.actions.map((a) => [a.path, a.error ?? "ok"])).toEqual([
      ["[0].actions[0]", "Stream 'bedtime' has no preset 'missing'"],
      ["[0].actions[1]", "ok"],
      ["[0].actions[2]", "ok"],
    ]);
    expect(stack.lines.some((l) => l.includes("went on"))).toBe(true);
    expect(stack.lines.some((l) => l.includes("never reached"))).toBe(false);
    expect(
      stack.lines.some((l) =>
        l.includes(
          "Rule 'lenient' step [0].actions[0] (stream.use_preset) failed, continuing as asked (Stream 'bedtime' has no preset 'missing')",
        ),
      ),
    ).toBe(true);
  });

  it("refuses a continue_on_error that is not true or false", async () => {
    stack = await startEngine({
      "r.yaml":
        "- id: odd\n  triggers: [{trigger: startup}]\n  actions:\n    - action: log\n      message: hi\n      continue_on_error: sometimes\n",
    });
    expect(stack.engine.errors().map((e) => e.message)).toContain(
      'continue_on_error must be true or false, not "sometimes"',
    );
  });
});

describe("startup", () => {
  it("runs a startup rule exactly once, whatever its mode", async () => {
    stack = await startEngine({"r.yaml": logRule("boot", "trigger: startup", "  mode: parallel\n")});
    await vi.waitFor(() => expect(stack!.engine.traces("boot")[0]?.result).toBe("completed"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stack.engine.traces("boot")).toHaveLength(1);
  });
});

describe("reloading and plugins", () => {
  it("hot-reloads on file change, keeping a broken rule's previous version running", async () => {
    stack = await startEngine(
      {"a.yaml": logRule("first", "trigger: startup"), "b.yaml": logRule("second", "trigger: startup")},
      {watch: true},
    );
    let changes = 0;
    stack.bus.on({}, "rules.changed", () => {
      changes++;
    });
    await writeFile(path.join(stack.rulesDir, "a.yaml"), logRule("first", 'trigger: time\n      at: "7pm"'));
    await vi.waitFor(() => expect(changes).toBeGreaterThan(0), {timeout: 5000});
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "a.yaml:5:11 [0].triggers[0].at '7pm' is not a time of day: use HH:MM or HH:MM:SS (the previous version keeps running)",
    ]);
    expect(stack.engine.list().map((r) => [r.id, r.triggers.join(), Boolean(r.stale)])).toEqual([
      ["first", "startup", true],
      ["second", "startup", false],
    ]);
    expect((await stack.engine.run("first"))?.result).toBe("completed");
    changes = 0;
    await writeFile(path.join(stack.rulesDir, "a.yaml"), logRule("first", 'trigger: time\n      at: "19:00"'));
    await vi.waitFor(() => expect(changes).toBeGreaterThan(0), {timeout: 5000});
    expect(stack.engine.errors()).toEqual([]);
    expect(stack.engine.list().find((r) => r.id === "first")).toMatchObject({triggers: ["time"]});
    expect(stack.engine.list().find((r) => r.id === "first")?.stale).toBeUndefined();
  });

  it("lets a long run go on when another rule's file is saved, and ends it when its own rule changes", async () => {
    const slow = (message: string) =>
      `- id: slow\n  triggers: [{trigger: mqtt, topic: home/slow}]\n  actions:\n    - delay: 1.5\n    - action: log\n      message: ${message}\n`;
    stack = await startEngine({"slow.yaml": slow("slow done"), "b.yaml": logRule("other", "trigger: startup")});
    stack.engine.dispatcher.deliverMqtt("home/slow", "x");
    await vi.waitFor(() => expect(stack!.engine.traces("slow")[0]?.result).toBe("running"));
    await writeFile(path.join(stack.rulesDir, "b.yaml"), logRule("other", 'trigger: time\n      at: "19:00"'));
    await stack.engine.reload();
    await vi.waitFor(() => expect(stack!.engine.traces("slow")[0]?.result).toBe("completed"), {timeout: 5000});
    expect(stack.lines.some((l) => l.includes("slow done"))).toBe(true);

    stack.engine.dispatcher.deliverMqtt("home/slow", "y");
    await vi.waitFor(() => expect(stack!.engine.traces("slow")[0]?.result).toBe("running"));
    await writeFile(path.join(stack.rulesDir, "slow.yaml"), slow("slow changed"));
    await stack.engine.reload();
    await vi.waitFor(() => expect(stack!.engine.traces("slow")[0]?.result).toBe("aborted"));
    expect(stack.lines.some((l) => l.includes("slow changed"))).toBe(false);
  });

  it("loads third-party plugins from rules/plugins through the public API, and isolates a broken one", async () => {
    stack = await startEngine({
      "plugins/mark.mjs": `export default (api) => api.register({
  kind: "action",
  type: "test.mark",
  schema: {type: "object", additionalProperties: false, required: ["note"], properties: {note: {type: "string"}}},
  compile: (options) => {
    const note = api.value(options.note);
    return async (run) => run.services.log.info("marked " + note(run) + " for " + run.ruleId);
  },
});`,
      "plugins/broken.mjs": `throw new Error("boom at load");`,
      "r.yaml": `
- id: uses_plugin
  triggers: [{trigger: startup}]
  actions:
    - action: test.mark
      note: "{{ 'hello' | upper }}"
`,
    });
    await vi.waitFor(() => expect(stack!.lines.some((l) => l.includes("marked HELLO for uses_plugin"))).toBe(true));
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "plugins/broken.mjs:1:1 plugin failed to load: boom at load",
    ]);
  });
});
