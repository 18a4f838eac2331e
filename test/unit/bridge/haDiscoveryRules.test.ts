import {describe, expect, it} from "vitest";
import {playerDiscovery} from "../../../src/bridge/discovery.js";
import {playerStateJson} from "../../../src/bridge/playerState.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";

const TOPIC = "homeassistant/device/dev1/config";
const STATE = "t/dev1";

/** One device with the given components; its state topic holds `state`. */
function check(components: Record<string, Record<string, unknown>>, state: Record<string, unknown> = {}) {
  const payload = {device: {identifiers: ["dev1"], name: "Dev"}, origin: {name: "test"}, components};
  return checkDiscovery([{topic: TOPIC, payload}], new Map([[STATE, JSON.stringify(state)]]));
}

const sensor = (extra: Record<string, unknown>) => ({
  platform: "sensor",
  unique_id: `u${Math.random()}`,
  state_topic: STATE,
  value_template: "{{ value_json.v }}",
  ...extra,
});

describe("the discovery checker, rule by rule", () => {
  it("takes a good payload, and refuses each way HA would refuse one", () => {
    expect(check({ok: sensor({device_class: "temperature", unit_of_measurement: "°C"})}, {v: 21})).toEqual([]);
    expect(check({a: sensor({device_class: "temperature", unit_of_measurement: "%"})}, {v: 21})).toEqual([
      "dev1.a: unit '%' is not valid with device class temperature",
    ]);
    expect(check({a: sensor({device_class: "battery"})}, {v: 3})).toEqual([
      "dev1.a: device class battery needs a unit (%)",
    ]);
    expect(check({a: sensor({device_class: "enum", options: ["on", "unknown"]})}, {v: "on"})).toEqual([
      "dev1.a: option 'unknown' is one of HA's own states",
    ]);
    expect(check({a: sensor({options: ["x"]})}, {v: "x"})).toEqual([
      "dev1.a: options must go with device class enum, got 'undefined'",
    ]);
    expect(check({a: sensor({device_class: "enum", options: ["x"], state_class: "measurement"})}, {v: "x"})).toEqual([
      "dev1.a: options are not allowed together with state_class or unit_of_measurement",
      "dev1.a: device class enum takes no unit or state class",
    ]);
    expect(check({a: sensor({device_class: "enum", options: []})}, {v: "x"})).toEqual([
      "dev1.a: an empty options list is not allowed",
      "dev1.a: value_template renders 'x', which HA does not take for a sensor",
    ]);
    expect(check({a: sensor({entity_category: "config"})}, {v: 1})).toEqual([
      "dev1.a: a sensor cannot be a config entity",
    ]);
    expect(check({a: {...sensor({}), unique_id: "same"}, b: {...sensor({}), unique_id: "same"}}, {v: 1})).toEqual([
      "dev1.b: unique_id 'same' is also dev1.a's",
    ]);
    expect(check({a: sensor({state_topic: "t/+"})}, {v: 1})).toEqual([
      "dev1.a: state_topic 't/+' has a wildcard",
      "dev1.a: nothing retained on 't/+' to render value_template on",
    ]);
    expect(check({a: {platform: "binary_sensor", unique_id: "b", state_topic: STATE, device_class: "wet"}})).toEqual([
      "dev1.a: 'wet' is no binary_sensor device class",
    ]);
    expect(check({n: {platform: "number", unique_id: "n", command_topic: "t/set", min: 5, max: 5, step: 0}})).toEqual([
      "dev1.n: min 5 must be below max 5",
      "dev1.n: step must be above 0",
    ]);
    expect(check({s: {platform: "select", unique_id: "s", command_topic: "t/set", options: ["a", "a"]}})).toEqual([
      "dev1.s: options repeat",
    ]);
    expect(check({i: {platform: "image", unique_id: "i", url_topic: "t/u", image_topic: "t/i"}})).toEqual([
      "dev1.i: an image needs url_topic or image_topic, not both",
    ]);
    expect(
      check({d: {platform: "device_automation", automation_type: "action", topic: "t/e", type: "x", subtype: "y"}}),
    ).toEqual(["dev1.d: automation_type must be trigger"]);
    // notify.py: a command topic, optionally a command template and retain; no title or targets.
    const notify = (extra: Record<string, unknown>) => ({platform: "notify", unique_id: "n", ...extra});
    expect(check({n: notify({command_topic: "t/set/announce", retain: false})})).toEqual([]);
    expect(check({n: notify({command_topic: "t/set/announce", title: "Yoto", targets: ["a"]})})).toEqual([
      "dev1: n: unknown key 'title' for notify",
      "dev1: n: unknown key 'targets' for notify",
    ]);
    expect(check({n: notify({cmd_tpl: "{{ value }}"})})).toEqual(["dev1: n: notify needs 'command_topic'"]);
    expect(check({n: notify({command_topic: "t/#", ret: true})})).toEqual([
      "dev1.n: command_topic 't/#' has a wildcard",
      "dev1.n: a retained notify message would be delivered again on every reconnect",
    ]);
    expect(check({l: {platform: "light", unique_id: "l", schema: "template", command_topic: "t/set"}})).toEqual([
      "dev1: l: light needs 'command_on_template'",
      "dev1: l: light needs 'command_off_template'",
    ]);
  });

  it("renders templates on the retained state as HA does, and checks what comes out", () => {
    // A field the state does not have, a value outside an enum, a number that is not one.
    expect(check({a: sensor({value_template: "{{ value_json.missing }}"})}, {v: 1})).toEqual([
      "dev1.a: value_template names value_json.missing, which the payload leaves out",
      "dev1.a: value_template fails on the retained state: prints a value that is not there",
    ]);
    expect(check({a: sensor({device_class: "enum", options: ["x", "y"]})}, {v: "z"})).toEqual([
      "dev1.a: value_template renders 'z', which HA does not take for a sensor",
    ]);
    expect(check({a: sensor({state_class: "measurement"})}, {v: "many"})).toEqual([
      "dev1.a: value_template renders 'many', which HA does not take for a sensor",
    ]);
    // null prints as Python's None, which HA reads as unknown.
    expect(check({a: sensor({state_class: "measurement"})}, {v: null})).toEqual([]);
    expect(
      check(
        {b: {platform: "binary_sensor", unique_id: "b", state_topic: STATE, value_template: "{{ value_json.v }}"}},
        {v: true},
      ),
    ).toEqual(["dev1.b: value_template renders 'True', which HA does not take for a binary_sensor"]);
    // A command template that builds JSON by hand breaks on a quote; tojson does not.
    const select = (command_template: string) => ({
      s: {platform: "select", unique_id: "s", command_topic: "t/set", options: [`it's "x"`], command_template},
    });
    expect(check(select(`{"preset": "{{ value }}"}`))[0]).toMatch(
      /^dev1.s: command_template with \{"value":"it's \\"x\\""\} makes no JSON: /,
    );
    expect(check(select("{{ {'preset': value} | tojson }}"))).toEqual([]);
  });

  it("warns of a template naming a key the payload leaves out, even behind default()", () => {
    const attributes = (template: string) => sensor({json_attributes_topic: STATE, json_attributes_template: template});
    expect(check({a: attributes("{{ {'r': value_json.reason | default(none)} | tojson }}")}, {v: 1})).toEqual([
      "dev1.a: json_attributes_template names value_json.reason, which the payload leaves out",
    ]);
    expect(check({a: attributes("{{ {'r': value_json.reason} | tojson }}")}, {v: 1, reason: null})).toEqual([]);
    expect(
      check(
        {a: attributes("{{ {'r': value_json.reason if value_json.reason is defined else none} | tojson }}")},
        {v: 1},
      ),
    ).toEqual([]);
  });

  it("checks an update entity's state as mqtt/update.py reads it, and whether HA can give it a state", () => {
    const update = (value_template: string, extra: Record<string, unknown> = {}) => ({
      platform: "update",
      unique_id: `u${Math.random()}`,
      state_topic: STATE,
      value_template,
      ...extra,
    });
    const both = "{{ {'installed_version': value_json.v, 'latest_version': value_json.v} | tojson }}";
    expect(check({u: update(both, {device_class: "firmware"})}, {v: "v2.23.2"})).toEqual([]);
    // Unknown yet: "{}" is ignored by HA, as an empty payload is.
    expect(check({u: update("{{ {} | tojson }}")}, {v: null})).toEqual([]);
    // A plain text is taken as the installed version, with no latest one: HA shows no state.
    expect(check({u: update("{{ value_json.v }}")}, {v: "v2.23.2"})).toEqual([
      "dev1.u: value_template renders 'v2.23.2', which gives HA no latest_version (and there is no latest_version_topic): the update entity stays unknown",
    ]);
    // ...unless another topic says the latest version.
    expect(check({u: update("{{ value_json.v }}", {latest_version_topic: "t/latest"})}, {v: "v2.23.2"})).toEqual([]);
    expect(check({u: update(both)}, {v: 2})).toEqual([
      `dev1.u: value_template renders '{"installed_version":2,"latest_version":2}', which gives HA installed_version 2: it must be a text`,
    ]);
    expect(check({u: update("{{ {'latest_version': value_json.v} | tojson }}")}, {v: "v2"})).toEqual([
      `dev1.u: value_template renders '{"latest_version":"v2"}', which gives HA no installed_version: the update entity stays unknown`,
    ]);
    expect(check({u: update(both, {device_class: "software"})}, {v: "v2"})).toEqual([
      "dev1.u: 'software' is no update device class",
    ]);
  });

  it("finds nothing wrong with a player's discovery on its own state, known or not", () => {
    const topics = new BridgeTopics("yoto", "homeassistant");
    const player = {
      ...newPlayer({deviceId: "p1", name: "Den", deviceFamily: "v3", deviceType: "v3", online: true}),
      settings: {alarms: [{index: 0, days: "1111111", time: "06:00", enabled: true}]},
    };
    const payload = playerDiscovery(player, {topics, version: "t", cardOptions: ["A card"], announce: true});
    expect((payload.components as Record<string, unknown>).announce).toEqual({
      platform: "notify",
      unique_id: "yoto_p1_announce_yoto",
      default_entity_id: "notify.den_announce",
      name: "Announce",
      icon: "mdi:bullhorn",
      command_topic: "yoto/p1/set/announce",
      retain: false,
    });
    const retained = new Map([
      ["yoto/p1", JSON.stringify(playerStateJson(player))],
      ["yoto/p1/availability", JSON.stringify({state: "online"})],
      ["yoto/bridge/state", JSON.stringify({state: "online"})],
      ["yoto/p1/card_image", "https://example.com/a.png"],
    ]);
    expect(checkDiscovery([{topic: "homeassistant/device/yoto_p1_yoto/config", payload}], retained)).toEqual([]);
  });
});
