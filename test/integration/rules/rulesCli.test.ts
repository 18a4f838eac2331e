import {execFile} from "node:child_process";
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {beforeAll, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {loadRules} from "../../../src/rules/loader.js";
import {StoryFiles} from "../../../src/stories/index.js";
import {nodeScript} from "../../helpers/compiled.js";
import {SHIPPED_RULE_FILES, SHIPPED_STORY_FILES, shippedRulesFolder} from "../../helpers/shippedRules.js";

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, [...nodeScript("src/cli.ts"), "rules", ...args], {
    cwd: PACKAGE_ROOT,
    env: {...process.env, TZ: "Europe/London"},
  }).then(
    (r) => ({code: 0, out: r.stdout}),
    (e: {code: number; stdout: string}) => ({code: e.code, out: e.stdout}),
  );

const quiet = new Logger({level: "error", sink: () => {}});

const OWN_RULES = `- id: a_users_own_rule_in_a_test
  triggers:
    - trigger: startup
  actions:
    - action: log
      message: mine
`;

describe("yoto-smart-stream rules", () => {
  // The simulations run the shipped examples alone: a parent's own rule at 19:00 in rules/ would
  // fire in them too.
  let shipped = "";
  beforeAll(async () => {
    shipped = await shippedRulesFolder();
  });

  it("check passes the shipped examples and fails a folder with errors, listing each", async () => {
    // A user's own file beside the shipped ones (as DOCS suggests) changes no outcome here.
    // The shipped files only: what the demo or a parent left in rules/ (an imported story) is theirs.
    const shipped = await shippedRulesFolder();
    const withOwn = await shippedRulesFolder();
    await writeFile(path.join(withOwn, "my-own.yaml"), OWN_RULES);
    for (const dir of [shipped, withOwn]) {
      const good = await cli("check", dir);
      expect(good.out).toMatch(/^\d+ rule\(s\) and \d+ stor(y|ies) OK in \d+ file\(s\) under .*\n$/);
      expect(good.code).toBe(0);
      const storyFiles = new StoryFiles();
      const loaded = await loadRules(dir, {timeZone: "Europe/London", services: {log: quiet}, documents: [storyFiles]});
      expect(loaded.errors).toEqual([]);
      expect(SHIPPED_RULE_FILES.filter((f) => !loaded.rules.some((r) => r.file === f))).toEqual([]);
      expect(SHIPPED_STORY_FILES.filter((f) => !storyFiles.stories.some((s) => s.file === f))).toEqual([]);
    }
    const bad = await cli("check", "test/fixtures/rules/bad");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      "05-bad-cron.yaml:4:13 [0].triggers[0].cron bad cron '0 25 * * *': the hour field '25' is out of range 0-23\n",
    );
    expect(bad.out.trim().split("\n").at(-1)).toBe(
      // Offline, the check cannot know the account's players and streams: those two files pass here.
      `2 rule(s) OK in 8 file(s) under ${path.join(PACKAGE_ROOT, "test/fixtures/rules/bad")}; 6 error(s)`,
    );
  }, 30_000);

  it("simulate prints what would fire and do, for a time and for an event", async () => {
    const evening = await cli("simulate", "--at", "2026-12-01T19:00", shipped);
    expect(evening.out).toBe(
      [
        "At 2026-12-01T19:00:00.000Z (Europe/London):",
        "  school_night_bedtime (bedtime.yaml:3) fires on time",
        "    condition time: passes",
        `    would stream.replace 'bedtime' items=["lullabies/*"] mode="shuffle"`,
        "    would log Bedtime playlist ready ( tracks)",
        "",
      ].join("\n"),
    );
    const card = await cli(
      "simulate",
      "--at",
      "2026-12-01T08:00",
      "--event",
      '{"type":"card","card":"demo1","player":"Living Room"}',
      shipped,
    );
    expect(card.out).toContain(
      "  quiet_demo_card_at_night (cards.yaml:3) fires on card\n    condition time: fails\n    → stops: a condition fails\n",
    );
    expect((await cli("simulate", "--at", "tomorrow")).code).toBe(2);
  }, 30_000);

  it("simulate previews the parents' rules offline, on listening and online players it says it assumed", async () => {
    // The event's minutes are that player's listening today, for the `listening` condition too.
    const budget = await cli(
      "simulate",
      "--at",
      "2026-12-01T18:00",
      "--event",
      '{"type":"listening","player":"Bedroom Mini","minutes":61}',
      shipped,
    );
    expect(budget.out).toContain(
      [
        "  Assumed: 'Bedroom Mini' listened 61 min today",
        "  daily_listening_budget (parents.yaml:9) fires on listening",
        "    condition listening: passes",
        `    would player.announce 'Bedroom Mini' {"message":"That was an hour of stories today. Time for a rest until the morning!","chime":true,"resume":false}`,
        "    would player.quiet 'Bedroom Mini' until 2026-12-02T07:00:00.000Z: pause, day and night max volume 0, then restore them",
        "",
      ].join("\n"),
    );
    const windDown = await cli("simulate", "--at", "2026-12-01T19:30", "--assume-online", shipped);
    expect(windDown.out).toContain(
      [
        "  Assumed: 'Bedroom Mini' online",
        "  school_night_wind_down (parents.yaml:38) fires on time",
        "    condition time: passes",
        "    condition player: passes",
        "    would player.wind_down 'Bedroom Mini' to volume 3 over 20 min, then sleep at the end of the track and night light #3c1800",
        "",
      ].join("\n"),
    );
    // --listening, repeated or comma-separated: started again under the budget, the Mini plays on.
    const under = await cli(
      ...["simulate", "--at", "2026-12-01T18:00", "--assume-online", "--listening", "Bedroom Mini=45,Kitchen=5"],
      ...["--listening", "Hall=0", "--event", '{"type":"player","player":"Bedroom Mini","to":"playing"}', shipped],
    );
    expect(under.out).toContain(
      [
        "  Assumed: 'Bedroom Mini', 'Kitchen', 'Hall' online; 'Bedroom Mini' listened 45 min today; 'Kitchen' listened 5 min today; 'Hall' listened 0 min today",
        "  daily_listening_budget (parents.yaml:9) fires on player",
        "    condition listening: fails",
        "",
      ].join("\n"),
    );
    expect(await cli("simulate", "--listening", "Kitchen", shipped)).toEqual({
      code: 2,
      out: "--listening must be <player>=<minutes listened today>, such as 'Bedroom Mini=45' (got 'Kitchen')\n",
    });
  }, 30_000);

  it("simulate of a story's button starts the story's variables at their declared values, as the engine does", async () => {
    // sleepy-dragon.yaml declares `lullabies_sung: 0`; right in the cave leads to the lullaby scene.
    const press = '{"type":"button","button":"right","story":"sleepy_dragon","player":"Bedroom Mini","scene":"cave"}';
    const pressed = await cli("simulate", "--at", "2026-12-01T18:00", "--event", press, shipped);
    expect(pressed.out).toContain(
      [
        `  Assumed: 'Bedroom Mini' in story 'sleepy_dragon' at scene 'lullaby' with variables {"lullabies_sung":0}`,
        "  sing_a_different_lullaby (stories.yaml:18) fires on button",
        "    condition story: passes",
        `    would stream.replace 'dragon_lullaby' items=["lullabies/*"] mode="shuffle"`,
        `    would story.set {"lullabies_sung":1} for 'Bedroom Mini'`,
        "    would log Bedroom Mini sang lullaby number 1 to the dragon",
        "",
      ].join("\n"),
    );
    expect(pressed.code).toBe(0);
    // A story under way: the event's own variables stand for where it has got to.
    const later = await cli(
      ...["simulate", "--at", "2026-12-01T18:00", "--event"],
      '{"type":"story","story":"sleepy_dragon","player":"Bedroom Mini","scene":"lullaby","variables":{"lullabies_sung":2}}',
      shipped,
    );
    expect(later.out).toContain(
      `  Assumed: 'Bedroom Mini' in story 'sleepy_dragon' at scene 'lullaby' with variables {"lullabies_sung":2}\n`,
    );
  }, 30_000);

  it("shows its usage for an unknown subcommand", async () => {
    const result = await cli("frobnicate");
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/^Usage:\n {2}yoto-smart-stream rules check \[DIR\]\n/);
  }, 30_000);
});
