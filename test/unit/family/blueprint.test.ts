import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse, type Tags} from "yaml";
import {BONUS_REQUESTED, FAMILY_REQUESTS} from "../../../src/bridge/familyFeature.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";

/** `!input name`, as Home Assistant's blueprint loader reads it. */
class Input {
  constructor(readonly name: string) {}
}
const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];

function inputsUsed(node: unknown, out: string[] = []): string[] {
  if (node instanceof Input) out.push(node.name);
  else if (Array.isArray(node)) for (const n of node) inputsUsed(n, out);
  else if (node && typeof node === "object") for (const n of Object.values(node)) inputsUsed(n, out);
  return out;
}

describe("the shipped 'one more story?' blueprint", () => {
  it("is a valid automation blueprint wired to the family entities the bridge publishes", async () => {
    const file = path.join(PACKAGE_ROOT, "blueprints/automation/yoto_smart_stream/one_more_story.yaml");
    // biome-ignore lint/suspicious/noExplicitAny: the YAML is read as Home Assistant reads it
    const bp: any = parse(await readFile(file, "utf8"), {customTags});
    expect(bp.blueprint.domain).toBe("automation");
    const declared = Object.keys(bp.blueprint.input).sort();
    const used = [...new Set(inputsUsed({triggers: bp.triggers, actions: bp.actions}))].sort();
    // Every input is used, and nothing uses an input that is not declared.
    expect(used).toEqual(declared);
    expect(bp.blueprint.input.request_event.selector.entity.filter).toEqual([{domain: "event", integration: "mqtt"}]);
    expect(bp.blueprint.input.notify_device.selector.device.filter).toEqual([{integration: "mobile_app"}]);
    // It fires on the event type our event entity declares, and presses the two answer buttons.
    expect(bp.conditions[0].value_template).toContain(`event_type == '${BONUS_REQUESTED}'`);
    const presses = JSON.stringify(bp.actions.at(-1));
    expect(presses).toContain("allow_button");
    expect(presses).toContain("not_tonight_button");
    expect(Object.values(FAMILY_REQUESTS)).toContain("family/allow");
    const notify = bp.actions.find((a: {domain?: string}) => a.domain === "mobile_app");
    expect(notify.data.actions.map((a: {title: string}) => a.title)).toEqual(["Allow", "Not tonight"]);
  });
});
