/** What a family can say, by the id of its sentence trigger in the voice blueprint. */
export type VoiceTrigger =
  | "play"
  | "choose"
  | "one_more_story"
  | "sleep"
  | "pause"
  | "resume"
  | "stop"
  | "next"
  | "previous"
  | "volume_up"
  | "volume_down"
  | "volume_set"
  | "stop_all"
  | "whats_playing"
  | "listened"
  | "bedtime"
  | "week"
  | "night";

/**
 * `POST /api/voice` and `<base>/bridge/request/voice`: Home Assistant's conversation trigger data,
 * as the voice blueprint sends it. Only `trigger` is required.
 */
export interface VoiceRequest {
  trigger: VoiceTrigger;
  /** What was heard, as said. */
  sentence?: string;
  /** The slots are whole (an assistant's call): no name is looked for in the sentence or the title. */
  structured?: boolean;
  /** The trigger's wildcards: `what` (a title), `who` (a child, a player or a room), `level` (a volume). */
  slots?: Record<string, string>;
  /** The satellite that heard it. */
  device_id?: string | null;
  /** The satellite's Home Assistant area, and the names of the devices in it. */
  area?: string | null;
  devices?: string[];
  /** The blueprint's language: "en" or "de"; another is answered in English. */
  language?: string;
  transaction?: unknown;
}

/**
 * How a voice request ended: `played`, `pending` (the player was asked and has not confirmed yet),
 * `refused` (the parents' rules), `asked` (a parent is asked), …
 */
export type VoiceOutcome =
  | "played"
  | "pending"
  | "done"
  | "answered"
  | "refused"
  | "asked"
  | "granted"
  | "not_found"
  | "unknown_name"
  | "which"
  | "offline"
  | "failed"
  | "busy";

/** The answer: `speech` is what the satellite says. */
export interface VoiceAnswer {
  speech: string;
  outcome: VoiceOutcome;
  trigger: VoiceTrigger;
  /**
   * What it did, when not what the trigger names: "play the next chapter" heard by `play` is `next`,
   * "resume the sleepy dragon" heard by `resume` a `play`, "stop every Yoto" heard by `stop` is `stop_all`.
   */
  action: VoiceTrigger;
  language: string;
  /** The player it acted on or asked about, and the child, where there was one. */
  player?: string;
  player_id?: string;
  child?: string;
  /** What played (or was asked about). */
  title?: string;
  /** Why it failed, for the log and for automations (never spoken: the speech says it simply). */
  error?: string;
}

/**
 * `GET /api/voice/sentences?language=en`: the voice blueprint's inputs with the family's own names
 * written in (children, players, the Home Assistant areas that hold a Yoto), to paste into the
 * automation; the panel's Voice page shows them. Read again whenever the names change.
 */
export interface VoiceSentences {
  language: string;
  /**
   * The names written in, as the sentences say them; `rooms` are the areas where nothing but a Yoto
   * plays, the only ones a title is played in with the room alone ("play … in Mia's room").
   */
  names: {children: string[]; players: string[]; areas: string[]; rooms: string[]};
  /** Per trigger, the blueprint input and every sentence for it: the shipped ones, then the family's. */
  triggers: Array<{id: VoiceTrigger; input: string; name: string; sentences: string[]}>;
  /** The same as the automation's YAML (`use_blueprint:` with its `input:`), to paste whole. */
  yaml: string;
  /** Changes whenever the names do: what was pasted before is out of date when this differs. */
  version: string;
}
