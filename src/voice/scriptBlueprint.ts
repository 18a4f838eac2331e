import {ROOMS_TEMPLATE, WAIT_FOR_ANSWER} from "./blueprint.js";

/**
 * The script blueprints for Home Assistant's LLM assistants and its MCP server: "Play on a Yoto",
 * "One more story" and "What's playing on a Yoto", written by `npm run docs:voice`.
 *
 * How Home Assistant makes a tool of a script (its core, `homeassistant/helpers/llm.py`, classes
 * `ScriptTool` and `ActionTool`, and `_get_cached_action_parameters`): every script exposed to Assist
 * is one tool, named after the script's object id; its description is the script's description (with
 * the entity's aliases added), its parameters the script's `fields`, each required or optional as the
 * field says and typed by the field's selector. Calling the tool calls the action `script.<object_id>`
 * with the tool's arguments as its data, blocking and asking for the response; what the LLM gets back
 * is the script's response. `homeassistant/components/script/__init__.py` registers that action for
 * each script (its response optional) and returns what the script's run ends with;
 * `homeassistant/components/script/config.py` is where `fields` (name, description, required,
 * example, selector) and the script's `description` are read. A `stop` step with
 * `response_variable` (`homeassistant/helpers/script.py`) ends the run with that variable, a mapping,
 * as the response.
 *
 * Each script does what the voice automation blueprint does (src/voice/blueprint.ts): publish the
 * voice request, wait for its answer by transaction, and hand back the answer, here as the
 * response rather than spoken.
 */

/** Where the script blueprints are, under the package. */
export const SCRIPT_BLUEPRINT_FOLDER = "blueprints/script/yoto_smart_stream";

export type ScriptBlueprintId = "play_on_yoto" | "one_more_story" | "whats_playing";
export const SCRIPT_BLUEPRINTS: readonly ScriptBlueprintId[] = ["play_on_yoto", "one_more_story", "whats_playing"];

/** The file of a script blueprint: `blueprints/script/yoto_smart_stream/play_on_yoto.yaml`, … */
export function scriptBlueprintFile(id: ScriptBlueprintId): string {
  return `${SCRIPT_BLUEPRINT_FOLDER}/${id}.yaml`;
}

/** What the response says when the add-on did not answer in time. */
export const NO_ANSWER = "The Yoto service didn't answer.";

/** Home Assistant's limit on a script field's description ("Exposing scripts to LLM conversation agents"). */
export const FIELD_DESCRIPTION_MAX = 128;
/** The longest tool description OpenAI's API takes; a script's description is its tool's. */
export const SCRIPT_DESCRIPTION_MAX = 1024;

export interface ScriptField {
  name: string;
  description: string;
  required: boolean;
  example: string;
}

export interface ScriptSpec {
  /** The blueprint's name, and the script's name once created. */
  name: string;
  /** For the blueprint's page in Home Assistant. */
  blueprintDescription: string;
  /** The script's description: the tool's description an LLM reads. */
  description: string;
  /** The voice trigger the request is. */
  trigger: "play" | "one_more_story" | "whats_playing";
  fields: Partial<Record<"what" | "who", ScriptField>>;
  /** A Jinja expression: the sentence the request carries, made of the fields. */
  sentence: string;
}

const WHO: ScriptField = {
  name: "Who",
  description:
    "Optional. The child (Mia), a Yoto's name or a room, in the user's words. Leave it out when the user named nobody; don't guess.",
  required: false,
  example: "Mia",
};

/**
 * Home Assistant's Assist API offers every agent its own media intent, `HassMediaSearchAndPlay`, once a
 * media player is exposed; on a Yoto it fails (the DLNA media player cannot search), so each script's
 * description tells the agent to call the script for a Yoto instead.
 */
const NOT_MEDIA_SEARCH =
  "For Yoto players use this script, not the built-in media search (HassMediaSearchAndPlay): it fails on a Yoto.";

const ANSWER =
  "It answers with `speech`, one short sentence: say it to the user as it is, without rewording or adding to it (it may be a refusal with its reason, a question such as which Yoto, or a near title offered back), and `outcome`";

/** What each script blueprint is made of; its texts are what the LLM reads. */
export const SCRIPT_SPECS: Readonly<Record<ScriptBlueprintId, ScriptSpec>> = {
  play_on_yoto: {
    name: "Play on a Yoto",
    blueprintDescription:
      "A script an LLM assistant (or Home Assistant's MCP server) calls as a tool to play a story on a child's Yoto through the Yoto Smart Stream add-on; the add-on finds the title, the child's Yoto and what the family plan allows, and answers in a sentence. For a Yoto, the LLM is told to use it instead of Home Assistant's built-in media search, which fails there. Expose the script to Assist.",
    description: `Plays a story, card, playlist, radio station or podcast on a Yoto player (a child's audio player) through the Yoto Smart Stream add-on, which keeps the family's rules: bedtime, quiet hours and the day's listening time. Use it whenever the user asks to play, put on or start something on a Yoto or for one of the children, even in other words. ${NOT_MEDIA_SEARCH} ${ANSWER} (played, pending, refused, not_found, unknown_name, which, offline, failed, busy or no_answer), with the title, the player and the child when known.`,
    trigger: "play",
    fields: {
      what: {
        name: "What",
        description:
          "Required. What to play, in the user's words: a title (the sleepy dragon) or a kind (a bedtime story). Don't guess a title.",
        required: true,
        example: "the sleepy dragon",
      },
      who: WHO,
    },
    sentence: "'play ' ~ what_said ~ ((' for ' ~ who_said) if who_said else '')",
  },
  one_more_story: {
    name: "One more story on a Yoto",
    blueprintDescription:
      "A script an LLM assistant (or Home Assistant's MCP server) calls as a tool when a child asks for one more story: the Yoto Smart Stream add-on asks a parent, or grants it as the family plan says, and answers in a sentence. Expose the script to Assist.",
    description: `Asks for one more story for a child past bedtime or past the day's listening time, through the Yoto Smart Stream add-on: it asks a parent (or grants it at once where the family plan says so), or says the child may simply listen now. Use it when the user asks for one more story, another story, a bit longer or an extra story for a child. ${NOT_MEDIA_SEARCH} ${ANSWER} (asked, granted, answered, refused, unknown_name, which, busy or no_answer), with the child when known.`,
    trigger: "one_more_story",
    fields: {who: WHO},
    sentence: "'one more story' ~ ((' for ' ~ who_said) if who_said else '')",
  },
  whats_playing: {
    name: "What's playing on a Yoto",
    blueprintDescription:
      "A script an LLM assistant (or Home Assistant's MCP server) calls as a tool to tell what is playing on a child's Yoto, through the Yoto Smart Stream add-on. Expose the script to Assist.",
    description: `Tells what is playing on a Yoto player (a child's audio player) through the Yoto Smart Stream add-on: the title on a child's or a room's Yoto, or that nothing is. Use it when the user asks what is playing, what a child is listening to, or which story is on. ${NOT_MEDIA_SEARCH} ${ANSWER} (answered, which, unknown_name, offline or no_answer), with the title, the player and the child when known.`,
    trigger: "whats_playing",
    fields: {who: WHO},
    sentence: "\"what's playing\" ~ ((' for ' ~ who_said) if who_said else '')",
  },
};

/** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
const q = (text: string) => JSON.stringify(text);

/** The names of the devices of every area, as the voice automation blueprint sends them. */

/**
 * A script blueprint, as text. `languages` are the codes the add-on answers in (the language input's
 * choices); the answer comes in the one chosen.
 */
export function scriptBlueprint(id: ScriptBlueprintId, languages: readonly string[]): string {
  const s = SCRIPT_SPECS[id];
  const fields = Object.entries(s.fields).map(([key, f]) =>
    [
      `  ${key}:`,
      `    name: ${q(f.name)}`,
      `    description: ${q(f.description)}`,
      `    required: ${f.required}`,
      `    example: ${q(f.example)}`,
      "    selector:",
      "      text: {}",
    ].join("\n"),
  );
  // A field the call left out is undefined in the script: read as empty. Trimmed, and kept as text
  // (the payload template renders to a string; a variable would turn "1984" into a number).
  const said = [
    ...(s.fields.what ? ["{% set what_said = (what | default('', true) | string | trim) %}"] : []),
    "{% set who_said = (who | default('', true) | string | trim) %}",
  ].join("");
  const slots = s.fields.what
    ? "{% set slots = {'what': what_said, 'who': who_said} if who_said else {'what': what_said} %}"
    : "{% set slots = {'who': who_said} if who_said else {} %}";
  return `# Yoto Smart Stream: ${s.name}, a script for LLM assistants and Home Assistant's MCP server.
# Written by \`npm run docs:voice\` from src/voice/scriptBlueprint.ts. Import it in Home Assistant:
# Settings > Automations & scenes > Blueprints > Import blueprint, with this file's raw URL, or copy it to
# <config>/blueprints/script/yoto_smart_stream/; create a script from it, and expose the script to Assist
# (Settings > Voice assistants > Expose): every exposed script is a tool of the LLM assistants and of the
# MCP server, its fields the tool's parameters and its response what the LLM reads. Needs Home Assistant's
# MQTT integration on the add-on's broker. docs/voice.md tells the rest.
blueprint:
  name: ${q(s.name)}
  description: ${q(s.blueprintDescription)}
  domain: script
  # The \`action:\` and \`trigger:\` keys, and a script's response by \`stop\` with \`response_variable\`.
  homeassistant:
    min_version: "2024.10.0"
  input:
    base_topic:
      name: "MQTT base topic"
      description: "The add-on's base_topic option (yoto unless you changed it)."
      default: yoto
      selector:
        text: {}
    answer_within:
      name: "Wait for the answer"
      description: "Seconds to wait for the add-on's answer before answering that it did not answer (it waits up to 5 s for a slow Yoto)."
      default: 8
      selector:
        number:
          min: 6
          max: 20
          unit_of_measurement: s
    language:
      name: "Language of the answer"
      description: "The language the add-on answers in (the LLM reads the answer, and says it)."
      default: en
      selector:
        language:
          languages:
${languages.map((code) => `            - ${code}`).join("\n")}

description: ${q(s.description)}

# An assistant may call it for two children at once.
mode: parallel
max: 10

fields:
${fields.join("\n")}

sequence:
  - variables:
      base: !input base_topic
      within: !input answer_within
      language: !input language
      # An agent calls every tool of one turn under the same context: each run's own answer topic needs
      # a name of its own, or a second call would read the first one's answer, still kept there.
      transaction: "{{ context.id }}_{{ range(100000) | random }}{{ range(100000) | random }}"
      # Every area with the names of its devices: a room said by name finds the Yoto in it.
      rooms: >-
        ${ROOMS_TEMPLATE}
  - action: mqtt.publish
    data:
      topic: "{{ base }}/bridge/request/voice"
      payload: >-
        ${said}${slots}{{ {"trigger": ${q(s.trigger).replace(/"/g, "'")}, "sentence": ${s.sentence}, "slots": slots, "device_id": none, "area": none, "devices": [], "rooms": rooms, "language": language, "transaction": transaction} | tojson }}
${WAIT_FOR_ANSWER}  # One template, so the response keeps its texts as texts ("1984" stays a title).
  - variables:
      reply: >-
        {% set ok = answer is mapping and answer.status == 'ok' %}{% set data = answer.data if ok and answer.data is mapping else {} %}{% if ok %}{% set speech = data.speech | default(${q(NO_ANSWER)}, true) %}{% elif answer is mapping %}{% set speech = answer.error | default(${q(NO_ANSWER)}, true) %}{% else %}{% set speech = ${q(NO_ANSWER)} %}{% endif %}{{ {"speech": speech, "outcome": (data.outcome | default('no_answer', true) if ok else ('failed' if answer is mapping else 'no_answer')), "title": data.title | default(none), "player": data.player | default(none), "child": data.child | default(none)} }}
  - stop: "The Yoto service's answer"
    response_variable: reply
`;
}
