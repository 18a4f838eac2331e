import {createHash} from "node:crypto";
import {badRequest, errorMessage} from "../core/errors.js";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import {ownEntry} from "../core/ownKeys.js";
import type {Service} from "../core/service.js";
import type {VoiceAnswer, VoiceOutcome, VoiceSentences, VoiceTrigger} from "../shared/api/voice.js";
import {blueprintFile} from "./blueprint.js";
import {ChildChoices} from "./childChoices.js";
import {voiceSentences} from "./familySentences.js";
import {VOICE_TRIGGERS} from "./languages/language.js";
import {LateAnswers, type LateAnswersOptions} from "./lateAnswers.js";
import {quoted} from "./spokenText.js";
import {TitleIndex} from "./titleIndex.js";
import {VoiceAreas} from "./voiceAreas.js";
import {choose} from "./voiceChoose.js";
import {type VoiceDeps, VoiceTurn} from "./voiceContext.js";
import {control, controlOn, stopAll} from "./voiceControls.js";
import {VoiceOffers} from "./voiceOffers.js";
import {namesATitle, play} from "./voicePlay.js";
import {bedtime, listened, oneMoreStory, whatsPlaying} from "./voiceQuestions.js";
import {languageCode, readVoiceRequest, VOICE_LANGUAGES, type VoiceAsked, type VoiceAssistant} from "./voiceRequest.js";
import {sleepSound} from "./voiceSleep.js";
import {volume} from "./voiceVolume.js";
import {nightSaid, weekSaid} from "./voiceWeek.js";

export interface VoiceOptions extends Omit<VoiceDeps, "now" | "answerWithinMs" | "titles" | "offers" | "childChoices"> {
  /** Answers over MQTT, also kept retained per transaction for a subscriber that comes late (Home Assistant's wait). */
  late?: LateAnswersOptions;
  log: Logger;
  now?: () => number;
  answerWithinMs?: number;
  /** The MQTT base topic, written into the voice automation's YAML the Voice page gives. */
  baseTopic?: string;
  /** Where the Home Assistant areas holding a Yoto are kept between starts (none: in memory only). */
  areasFile?: string;
  /** Requests that act (play, pause, …) per second, and how many may come at once: past them, "try again in a moment". */
  rate?: {perSecond: number; burst: number};
}

/**
 * The requests that drive a player or the plan: a stuck automation repeating one of these is told to
 * wait. Questions only read what the service holds, and are always answered.
 */
/** The questions: they only read. Every other trigger changes something. */
const QUESTIONS = new Set<VoiceTrigger>(["whats_playing", "listened", "bedtime", "week", "night"]);
/** The triggers that change something. */
const ACTING = new Set<VoiceTrigger>(VOICE_TRIGGERS.filter((t) => !QUESTIONS.has(t)));
/** Answers that did nothing for want of time or a player: never remembered for the transaction. */
const AGAIN = new Set<VoiceOutcome>(["busy", "failed", "pending", "offline"]);

/** A transaction answered is answered again from here, never acted on twice (HA retries, a stuck loop). */
const REMEMBERED = 100;
const REMEMBER_MS = 2 * 60_000;

/**
 * Voice (docs/voice.md): what a family says to Home Assistant, handed over by the voice blueprint's
 * sentence triggers (`<base>/bridge/request/voice`, `POST /api/voice`), decided here: who is meant,
 * what to play, what the parents' rules say. Each request gets one short sentence to speak back.
 */
export class Voice implements Service {
  readonly name = "voice";
  readonly stats = {requests: 0, played: 0, refused: 0, busy: 0};
  readonly #opts: VoiceOptions;
  readonly #deps: VoiceDeps;
  readonly #flood: FloodSummary;
  readonly #answered = new Map<string, {at: number; answer: Promise<VoiceAnswer>}>();
  readonly #late?: LateAnswers;
  readonly #areas: VoiceAreas;
  #tokens: number;
  #filledAt = 0;
  #running = false;

  constructor(opts: VoiceOptions) {
    this.#opts = opts;
    const now = opts.now ?? Date.now;
    this.#deps = {
      ...opts,
      now,
      answerWithinMs: opts.answerWithinMs ?? 5000,
      titles: new TitleIndex(),
      childChoices: new ChildChoices(),
      offers: new VoiceOffers(now),
    };
    this.#flood = new FloodSummary(opts.log);
    this.#tokens = this.#rate.burst;
    if (opts.late) this.#late = new LateAnswers(opts.late);
    this.#areas = new VoiceAreas(opts.areasFile, opts.log);
  }

  get #rate() {
    return this.#opts.rate ?? {perSecond: 10, burst: 20};
  }

  async start(): Promise<void> {
    await this.#areas.load();
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#flood.stop();
    this.#answered.clear();
    this.#deps.offers.clear();
    this.#late?.clearAll();
    await this.#areas.settled();
  }

  /**
   * The voice blueprint's inputs for this family in a language (`GET /api/voice/sentences`): the
   * shipped sentences and those naming the family's children, Yotos and the areas that hold one,
   * as they are now. A language there is no file for is a 400 naming those there are.
   */
  sentences(language: string): VoiceSentences {
    const code = languageCode(language) || "en";
    const lang = ownEntry(VOICE_LANGUAGES, code);
    if (!lang)
      throw badRequest(
        `There are no voice sentences in the language '${quoted(language, 16)}': ask for one of ${Object.keys(VOICE_LANGUAGES).join(", ")} (?language=en)`,
        "unknown_voice_language",
      );
    const names = {
      children: this.#opts.family.roster().children.map((c) => c.name),
      players: this.#opts.players.list().map((p) => p.name),
      areas: this.#areas.list(),
      rooms: this.#areas.alone(),
      house: this.#areas.house(),
    };
    return voiceSentences(lang, names, {
      path: blueprintFile(lang).replace(/^blueprints\/automation\//, ""),
      baseTopic: this.#opts.baseTopic ?? "yoto",
    });
  }

  health() {
    return {details: {...this.stats}};
  }

  /**
   * The bridge's request (`<base>/bridge/request/voice`): the answer, also kept retained on its
   * transaction's own topic (LateAnswers), a refusal too, in the bridge's envelope.
   */
  async answerOverMqtt(body: Record<string, unknown>, transaction: unknown): Promise<VoiceAnswer> {
    const envelope = (rest: object) => ({...rest, ...(transaction === undefined ? {} : {transaction})});
    try {
      const answer = await this.answer(body, transaction);
      this.#late?.keep(transaction, envelope({status: "ok", data: answer}));
      return answer;
    } catch (err) {
      this.#late?.keep(transaction, envelope({status: "error", data: {}, error: errorMessage(err)}));
      throw err;
    }
  }

  /**
   * Answer one request. A body without a known `trigger` is refused (a 400 that says what to send);
   * anything else is answered with a sentence, the parents' rules and mistakes included.
   */
  /** Whether a trigger changes something (an action), rather than asking (a question). */
  acts(trigger: VoiceTrigger): boolean {
    return ACTING.has(trigger);
  }

  /**
   * `assistant`: asked by an assistant through the MCP server, which alone says so (a body cannot):
   * journaled under its name, and only for the children it was given.
   */
  answer(body: Record<string, unknown>, transaction?: unknown, assistant?: VoiceAssistant): Promise<VoiceAnswer> {
    const asked = readVoiceRequest(body);
    if (assistant) asked.assistant = {name: assistant.name, children: [...assistant.children]};
    const key = transactionKey(transaction, body);
    const now = this.#deps.now();
    const before = key ? this.#answered.get(key) : undefined;
    if (before && now - before.at < REMEMBER_MS) return before.answer;
    const answer = this.#answer(asked);
    if (key) this.#remember(key, now, answer);
    return answer;
  }

  async #answer(asked: VoiceAsked): Promise<VoiceAnswer> {
    this.stats.requests++;
    // An assistant's request was limited by the MCP server's rate for that assistant already: voice's
    // own bucket is the house's satellites', which one assistant must not use up.
    if (!this.#running || (ACTING.has(asked.trigger) && !asked.assistant && !this.#take())) {
      this.stats.busy++;
      this.#flood.warning(
        "voice requests over the limit",
        `Voice: too many requests at once; told to wait: "${quoted(asked.sentence)}"`,
      );
      // Said without reading the family or the players: a flood costs no more than its answers.
      const {lang, trigger} = asked;
      return {speech: lang.answers.busy(), outcome: "busy", trigger, action: trigger, language: lang.code};
    }
    this.#areas.heard(
      asked.rooms,
      this.#opts.players.list().map((p) => p.name),
    );
    // A request without Home Assistant's areas (an assistant's, an older blueprint's) goes by those last heard.
    const turn = new VoiceTurn(this.#deps, asked.rooms.length ? asked : {...asked, rooms: this.#areas.rooms()});
    let answer: VoiceAnswer | undefined;
    try {
      answer = await this.#act(turn);
    } finally {
      // Not done (thrown, offline, failed, still asked): what this satellite was offered stays, for the retry.
      if (turn.offer && (!answer || AGAIN.has(answer.outcome))) this.#deps.offers.giveBack(asked.deviceId, turn.offer);
    }
    if (answer.outcome === "played") this.stats.played++;
    if (answer.outcome === "refused") this.stats.refused++;
    const heard = asked.sentence ? `"${quoted(asked.sentence)}"` : asked.trigger;
    // What acts is worth a line each (it is limited); a flood of questions is not.
    const line = `Voice: ${heard} → ${answer.speech}${answer.error ? ` (${answer.error})` : ""}`;
    if (ACTING.has(asked.trigger)) this.#opts.log.info(line);
    else this.#opts.log.debug(line);
    return answer;
  }

  async #act(turn: VoiceTurn): Promise<VoiceAnswer> {
    // A command said where a title goes ("play the next chapter") is done on the Yoto the play found.
    const commands = (command: "next" | "previous" | "resume", target: Parameters<typeof controlOn>[2]) =>
      controlOn(turn, command, target);
    switch (turn.asked.trigger) {
      case "play":
        return play(turn, commands);
      case "choose":
        return choose(turn);
      case "one_more_story":
        return oneMoreStory(turn);
      case "resume":
        // A title said after it plays that title ("resume the sleepy dragon on Mia's Yoto").
        if (await namesATitle(turn)) return turn.actingAs("play", () => play(turn, commands));
        return control(turn, "resume");
      case "pause":
      case "stop":
      case "next":
      case "previous":
        return control(turn, turn.asked.trigger);
      case "volume_up":
      case "volume_down":
      case "volume_set":
        return volume(turn, turn.asked.trigger);
      case "stop_all":
        return stopAll(turn);
      case "whats_playing":
        return whatsPlaying(turn);
      case "listened":
        return listened(turn);
      case "bedtime":
        return bedtime(turn);
      case "sleep":
        return sleepSound(turn);
      case "week":
        return weekSaid(turn);
      case "night":
        return nightSaid(turn);
    }
  }

  /** A token of the bucket: `burst` at once, refilled at `perSecond`. */
  #take(): boolean {
    const now = this.#deps.now();
    const {perSecond, burst} = this.#rate;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#filledAt) / 1000) * perSecond);
    this.#filledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #remember(key: string, at: number, answer: Promise<VoiceAnswer>): void {
    this.#answered.set(key, {at, answer});
    // A failed answer is not kept: the same transaction asked again is tried again.
    // Nor is one that did nothing for want of time or a player: asked again, it is tried again.
    answer.then(
      (a) => {
        if (AGAIN.has(a.outcome)) this.#answered.delete(key);
      },
      () => this.#answered.delete(key),
    );
    for (const old of this.#answered.keys()) {
      if (this.#answered.size <= REMEMBERED) break;
      this.#answered.delete(old);
    }
  }
}

/**
 * A transaction worth remembering (a short string or a number; HA's context ids are 26 characters),
 * with what it asked: the same request again is a retry, another request under a reused transaction is new.
 */
function transactionKey(transaction: unknown, body: Record<string, unknown>): string | undefined {
  const id =
    typeof transaction === "number" && Number.isFinite(transaction)
      ? `n:${transaction}`
      : typeof transaction === "string" && transaction.length > 0 && transaction.length <= 100
        ? `s:${transaction}`
        : undefined;
  if (!id) return undefined;
  const {transaction: _t, ...asked} = body;
  return `${id}:${createHash("sha256").update(JSON.stringify(asked)).digest("base64url")}`;
}
