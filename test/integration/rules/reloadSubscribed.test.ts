import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, expect, it} from "vitest";
import {startEngine} from "../../helpers/rules.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

it("resolves a reload only once the broker has the new rules' MQTT topics, so a message sent next is heard", async () => {
  const asked: string[][] = [];
  let acknowledge = () => {};
  const engine = await startEngine(
    {"a.yaml": "- id: a\n  triggers: [{trigger: mqtt, topic: home/a}]\n  actions: [{action: log, message: hi}]\n"},
    {
      onMqttTopics: (topics) => {
        asked.push([...topics].sort());
        // The first subscription is acknowledged at once; the next one when the test says so.
        return asked.length === 1 ? undefined : new Promise<void>((resolve) => (acknowledge = resolve));
      },
    },
  );
  stop = engine.stop;
  await writeFile(
    path.join(engine.rulesDir, "b.yaml"),
    "- id: b\n  triggers: [{trigger: mqtt, topic: home/b}]\n  actions: [{action: log, message: hi}]\n",
  );
  let reloaded = false;
  const reload = engine.engine.reload().then((result) => {
    reloaded = true;
    return result;
  });
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1]).toEqual(["home/a", "home/b"]);
  // Loaded and swapped in, but the broker has not said it subscribed: the reload is not over.
  await new Promise((resolve) => setImmediate(resolve));
  expect(reloaded).toBe(false);
  acknowledge();
  expect(await reload).toMatchObject({loaded: 2, failed: 0});
});
