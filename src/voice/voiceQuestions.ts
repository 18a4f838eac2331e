import {cleanTitle} from "../core/cleanTitle.js";
import {within} from "../core/within.js";
import {storyRadioStream} from "../family/shelfField.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {SpokenTitle} from "./languages/language.js";
import {ownWords, spokenTitle} from "./spokenTitle.js";
import type {VoiceTurn} from "./voiceContext.js";
import {reachable, refusal} from "./voicePlay.js";
import type {Target} from "./whoIsMeant.js";

const TITLE_WAIT_MS = 1500;

/**
 * "What's playing on Mia's Yoto": the card's title (and the chapter, when it says more), or nothing.
 * What plays on a card of this service's own is named as the family knows it ("Mia's story radio",
 * a station, a podcast, "an announcement"), and an id is never said: "something" rather than that.
 */
export async function whatsPlaying(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const meant = turn.player();
  if ("speech" in meant) return meant;
  const {player, child, where, about} = meant;
  const unreachable = reachable(turn, player, child);
  if (unreachable && !player.online) return unreachable;
  const {status, cardId, chapterTitle, trackTitle} = player.playback;
  if (cardId === null || !["playing", "loading", "paused"].includes(status))
    return turn.say("answered", a.nothingPlaying({where}), about);
  // On a card of this service's own, what plays is named as asked, not as the card (a stream's name, the relay card).
  const own = turn.deps.ownTitle(player.id, cardId);
  let title: SpokenTitle;
  let part: SpokenTitle | undefined;
  let plain: string;
  if (own && own.kind !== "title") {
    plain = own.kind === "announcement" ? a.anAnnouncement() : storyRadioTitle(turn, own.stream);
    title = ownWords(plain);
  } else {
    const read = own
      ? {done: true as const, value: {title: own.title}}
      : await within(turn.deps.players.cardSummary(cardId), TITLE_WAIT_MS).catch(() => ({done: false as const}));
    // A card's, a feed's or a station's title is anyone's text: said quoted and clean, or not at all.
    const known = read.done ? cleanTitle(read.value?.title ?? "") || undefined : undefined;
    // Never an id: a chapter or track titled with the card's id says nothing a family knows.
    const named = (t: string | undefined) => (t && t !== cardId ? cleanTitle(t) || undefined : undefined);
    const found = known ?? named(chapterTitle) ?? named(trackTitle);
    plain = found ?? a.something();
    title = found ? spokenTitle(turn.lang, found) : ownWords(plain);
    const chapter = own && !own.chapters ? undefined : named(chapterTitle);
    part = chapter && chapter !== found ? spokenTitle(turn.lang, chapter) : undefined;
  }
  const speech = status === "paused" ? a.pausedOn({where, title}) : a.nowPlaying({where, title, part});
  return turn.say("answered", speech, {...about, title: plain});
}

/** A story radio as its child's ("Mia's story radio"); one whose child has left the plan, as story radio. */
function storyRadioTitle(turn: VoiceTurn, stream: string): string {
  const child = turn.children.find((c) => storyRadioStream(c.name) === stream);
  return child ? turn.lang.storyRadioOf(child.name) : turn.lang.words.storyRadio;
}

/** "How long did Ben listen today": the plan's count for a child (with what is left), a player's own otherwise. */
export async function listened(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const target = turn.target();
  // A child is counted by the plan, with or without a Yoto of its own now.
  const child =
    target.kind === "player" ? target.child : target.kind === "child_without_player" ? target.child : undefined;
  const view = child ? turn.view(child) : undefined;
  const player = target.kind === "player" ? target.player : undefined;
  if (child && view) {
    const duration = turn.lang.duration(view.minutes_used * 60);
    const left = view.minutes_left;
    const speech =
      left === null
        ? a.listened({child, duration})
        : left <= 0
          ? a.listenedAll({child, duration})
          : a.listenedWithLeft({child, duration, left: turn.lang.duration(left * 60)});
    return turn.say("answered", speech, player ? turn.about(player, child) : {child});
  }
  if (!player) return turn.notAPlayer(target as Exclude<Target, {kind: "player"}>);
  const seconds = turn.deps.listening.todaySeconds(player.id);
  return turn.say(
    "answered",
    a.playerListened({where: player.name, duration: turn.lang.duration(seconds)}),
    turn.about(player),
  );
}

/** "When is Mia's bedtime": asleep until when, else tonight's bedtime from the plan. */
export async function bedtime(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const child = childOf(turn, turn.target());
  if ("speech" in child) return child;
  const view = turn.view(child.name);
  if (!view) return turn.say("unknown_name", a.noChild({name: child.name}));
  if (view.quiet_reason === "bedtime" && view.quiet_until)
    return turn.say("answered", a.asleepUntil({child: view.name, until: turn.time(Date.parse(view.quiet_until))}), {
      child: view.name,
    });
  const step = view.tonight.find((s) => s.step === "bedtime");
  if (!step) return turn.say("answered", a.noBedtime({child: view.name}), {child: view.name});
  const at = Date.parse(step.at);
  const about = {child: view.name};
  if (at > turn.deps.now()) return turn.say("answered", a.bedtimeAt({child: view.name, time: turn.time(at)}), about);
  // Tonight's bedtime has passed and the child is not asleep: a bonus runs, or a parent ended the quiet.
  const bonusEnd = view.bonus?.until ? Date.parse(view.bonus.until) : undefined;
  return bonusEnd && bonusEnd > turn.deps.now()
    ? turn.say("answered", a.bonusUntil({child: view.name, until: turn.time(bonusEnd), time: turn.time(at)}), about)
    : turn.say("answered", a.bedtimeWas({child: view.name, time: turn.time(at)}), about);
}

/**
 * "One more story for Ben": the plan's request (a parent answers, as when the child asks with a
 * card) or, where the plan says so, the bonus at once; the answer says which, or why not.
 */
export async function oneMoreStory(turn: VoiceTurn, known?: Target): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const target = known ?? turn.target();
  const child = childOf(turn, target);
  if ("speech" in child) return child;
  const player = target.kind === "player" ? target.player : undefined;
  if (!player) return turn.say("which", a.noYoto({child: child.name}), {child: child.name});
  const unreachable = reachable(turn, player, child.name);
  if (unreachable && turn.deps.players.cloud.state !== "connected") return unreachable;
  const about = turn.about(player, child.name);
  const {by, from} = turn.askedBy();
  const asked = await turn.deps.family.askForMore(child.name, {id: player.id, name: player.name}, by, from);
  switch (asked.result) {
    case "asked":
      return turn.say("asked", a.askedParent({child: child.name}), about);
    case "waiting":
      return turn.say("asked", a.alreadyAsked({child: child.name}), about);
    case "recent":
      return turn.say("refused", a.askedRecently({child: child.name, time: turn.time(asked.again)}), about);
    case "cap":
      return asked.cap === 0
        ? turn.say("refused", a.noBonuses({child: child.name}), about)
        : turn.say("refused", a.capReached({child: child.name, cap: asked.cap}), about);
    case "not_quiet": {
      // Not quiet by the plan, but perhaps by a parent's or a rule's quiet hours on the player: say that.
      const blocked = await refusal(turn, player, child.name, "One more story");
      return "said" in blocked ? blocked.said : turn.say("answered", a.mayListen({child: child.name}), about);
    }
    case "declined":
      // A parent said Not tonight: asking the satellite instead does not undo it.
      return turn.say("refused", a.declined({child: child.name, until: turn.time(asked.until)}), about);
    case "granted":
      return turn.say(
        "granted",
        asked.bonus.minutes
          ? a.granted({child: child.name, minutes: asked.bonus.minutes})
          : a.grantedToTrackEnd({child: child.name}),
        about,
      );
  }
}

/** The child a question is about: named, or the one the satellite's room or the family points to. */
export function childOf(turn: VoiceTurn, target: Target): {name: string} | VoiceAnswer {
  const a = turn.lang.answers;
  if (turn.children.length === 0) return turn.say("unknown_name", a.noPlan());
  if (target.kind === "player" && target.child) return {name: target.child};
  if (target.kind === "child_without_player") return {name: target.child};
  if (target.kind === "not_granted") return turn.notGranted();
  const known = turn.lang.list(turn.childNames(), "and");
  if (target.kind === "unknown") return turn.say("unknown_name", a.unknownName({name: target.name, known}));
  if (target.kind === "player" && turn.who) return turn.say("unknown_name", a.noChild({name: target.player.name}));
  return turn.say("which", a.whose({known}));
}
