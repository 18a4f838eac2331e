import {VOICE_TRIGGERS, type VoiceLanguage} from "./languages/language.js";

/** Where the blueprints are, under the package: what `npm run docs:voice` writes. */
export const BLUEPRINT_FOLDER = "blueprints/automation/yoto_smart_stream";

/** The file of a language's voice blueprint: `voice_en.yaml`, `voice_de.yaml`. */
export function blueprintFile(lang: VoiceLanguage): string {
  return `${BLUEPRINT_FOLDER}/voice_${lang.code}.yaml`;
}

/**
 * Every Home Assistant area with the names of its devices and of what plays in it (its media
 * players, by their device's name), as a Jinja2 template: a room said by name finds the Yoto in it,
 * and a room where nothing but a Yoto plays takes a title said with the room alone.
 */
export const ROOMS_TEMPLATE =
  "{% set ns = namespace(rooms=[]) %}{% for a in areas() %}{% set d = namespace(names=[]) %}{% for x in area_devices(a) %}{% set d.names = d.names + [device_attr(x, 'name')] + ([device_attr(x, 'name_by_user')] if device_attr(x, 'name_by_user') else []) %}{% endfor %}{% set p = namespace(names=[]) %}{% for e in area_entities(a) if e.startswith('media_player.') %}{% set p.names = p.names + [device_attr(e, 'name_by_user') or device_attr(e, 'name') or state_attr(e, 'friendly_name') or e] %}{% endfor %}{% if d.names %}{% set ns.rooms = ns.rooms + [[area_name(a), d.names, p.names]] %}{% endif %}{% endfor %}{{ ns.rooms }}";

/**
 * The steps after the request is published, in both kinds of blueprint: wait for the answer on the
 * transaction's own topic, then hold it as `answer` (none when it did not come in time).
 */
export const WAIT_FOR_ANSWER = `  # The answer is also kept retained on a topic of its own transaction: this wait, which subscribes only
  # now, gets it even when it came first.
  - wait_for_trigger:
      - trigger: mqtt
        topic: "{{ base }}/bridge/response/voice/{{ transaction }}"
        value_template: "{{ value_json.transaction if value_json is defined else '' }}"
        payload: "{{ transaction }}"
    timeout:
      seconds: "{{ within }}"
    continue_on_timeout: true
  - variables:
      answer: "{{ wait.trigger.payload_json if wait.trigger else none }}"
`;

/** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
const q = (text: string) => JSON.stringify(text);

/**
 * A language's voice blueprint, as text: each trigger a `conversation` trigger whose sentences are
 * an input (the language file's sentences as its default, so a family adds its own words), and one
 * thin action: publish HA's trigger data as the voice request, wait for its answer by transaction,
 * say its `speech`. The service decides everything else, so the blueprint never needs to change
 * for a rule to.
 */
export function voiceBlueprint(lang: VoiceLanguage): string {
  const b = lang.blueprint;
  const inputs = VOICE_TRIGGERS.map((id) => {
    const t = b.triggers[id];
    return [
      `    ${id}_sentences:`,
      `      name: ${q(t.name)}`,
      `      description: ${q(t.description)}`,
      "      default:",
      ...lang.sentences[id].map((s) => `        - ${q(s)}`),
      "      selector:",
      "        text:",
      "          multiple: true",
    ].join("\n");
  });
  const triggers = VOICE_TRIGGERS.map((id) =>
    [`  - trigger: conversation`, `    id: ${id}`, `    command: !input ${id}_sentences`].join("\n"),
  );
  return `# Yoto Smart Stream: ${b.name}.
# Written from src/voice/languages/${lang.code}.ts by \`npm run docs:voice\`; change the sentences there
# (or, for your own words, in the blueprint's inputs once imported). Import it in Home Assistant:
# Settings > Automations & scenes > Blueprints > Import blueprint, with this file's raw URL, or copy it to
# <config>/blueprints/automation/yoto_smart_stream/. Needs Home Assistant's MQTT integration on the
# service's broker (the one its entities come from). docs/voice.md tells the rest.
blueprint:
  name: ${q(b.name)}
  description: ${q(b.description)}
  domain: automation
  # Sentence triggers with ids, the \`triggers:\` key and \`trigger.device_id\`.
  homeassistant:
    min_version: "2024.10.0"
  input:
    base_topic:
      name: ${q(b.baseTopic.name)}
      description: ${q(b.baseTopic.description)}
      default: yoto
      selector:
        text: {}
    answer_within:
      name: ${q(b.answerWithin.name)}
      description: ${q(b.answerWithin.description)}
      default: 8
      selector:
        number:
          min: 6
          max: 20
          unit_of_measurement: s
${inputs.join("\n")}

# Several family members may speak at once, each on a satellite of their own.
mode: parallel
max: 10

triggers:
${triggers.join("\n")}

actions:
  - variables:
      base: !input base_topic
      within: !input answer_within
      transaction: "{{ context.id }}"
      # The names of the devices in the satellite's area (as added and as renamed): a Yoto among them is the one meant.
      devices: >-
        {% set ns = namespace(names=[]) %}{% if trigger.device_id and area_id(trigger.device_id) %}{% for d in area_devices(area_id(trigger.device_id)) %}{% set ns.names = ns.names + [device_attr(d, 'name')] + ([device_attr(d, 'name_by_user')] if device_attr(d, 'name_by_user') else []) %}{% endfor %}{% endif %}{{ ns.names }}
      # Every area with the names of its devices: a room said by name finds the Yoto in it.
      rooms: >-
        ${ROOMS_TEMPLATE}
  - action: mqtt.publish
    data:
      topic: "{{ base }}/bridge/request/voice"
      payload: >-
        {{ {"trigger": trigger.id, "sentence": trigger.sentence, "slots": trigger.slots, "device_id": trigger.device_id, "area": (area_name(trigger.device_id) if trigger.device_id else none), "devices": devices, "rooms": rooms, "language": ${q(lang.code).replace(/"/g, "'")}, "transaction": transaction} | tojson }}
${WAIT_FOR_ANSWER}  - set_conversation_response: >-
      {% if answer is none %}${b.noAnswer}{% elif answer.status == 'ok' %}{{ answer.data.speech | default(${q(b.noAnswer)}, true) }}{% else %}{{ answer.error | default(${q(b.noAnswer)}, true) }}{% endif %}
`;
}
