import type {VoiceTrigger} from "../../shared/api/voice.js";

/**
 * English: the sentences the blueprint ships, per trigger (hassil templates, every `{slot}` a
 * wildcard; the service writes the family's names in: src/voice/familySentences.ts). Each names a
 * Yoto, a story or a child ("for Ben"): a sentence trigger is matched before Home Assistant's own
 * intents, so one as wide as "play {what} in the {who}" would take "play jazz in the kitchen" from
 * every other speaker (docs/voice.md says how a family adds it anyway). The composed frames are
 * enGrammar.ts.
 */
export const englishSentences: Record<VoiceTrigger, string[]> = {
  play: [
    "[please] [(can|could|would) you] [please] (play|put on|start) [please] {what} (on|for) {who} yoto [please]",
    "[please] [(can|could|would) you] [please] (play|put on|start) [please] {what} on [the] yoto [(in|for) {who}] [please]",
    // Never "start … for …", not even with a child's name: "start a timer for Mia" is Home Assistant's.
    "[please] [(can|could|would) you] [please] (play|put on) [please] {what} for {who} [please]",
    "[please] (play|put on|start) [please] {what} (in|on) [the] {who} on [the] yoto [please]",
    // "Put the gruffalo on for Mia", "put it on Ben's Yoto", "put it on the Yoto in the living room".
    "[please] [(can|could|would) you] [please] put {what} on (for {who}|[on] {who} yoto) [please]",
    "[please] [(can|could|would) you] [please] put {what} on [the] yoto [(in|for) {who}] [please]",
    "i (want|would like|wanna) to (hear|listen to) {what} (on|for) {who} yoto [please]",
  ],
  // The answer to "Which one: …?" or "Did you mean …?": no name in it, so the offer made to this satellite decides.
  choose: [
    "[please] [play] the (first|second|third|last|1st|2nd|3rd) [one] [please]",
    // Not "play the {what} one": "play the next one", "play the new one" are other speakers'.
    "[please] the {what} one [please]",
    "[please] [play] the one (with|about) {what} [please]",
    "(yes|yeah|yep|yup) [please]",
    "(yes|yeah|yep|yup) [please] play (it|that) [please]",
  ],
  one_more_story: [
    "[please] (one more|another) story [please] [for {who}] [please]",
    "(can|may|could) {who} [please] have (one more|another) story [please]",
    "[please] (can|may|could) (we|i) [please] have (one more|another) story [please] [for {who}] [please]",
    "{who} (wants|would like) (one more|another) story [please]",
  ],
  sleep: [
    "{who} (can't|cannot|can not|cant) (sleep|get to sleep|fall asleep)",
    "{who} is (awake|up) again",
    "[please] (play|start) {who} sleep (sound|sounds) [please]",
    // Never "play the sleep sound for Mia": that is "play {what} for {who}", a title.
    "[please] start [the] sleep (sound|sounds) (for|in) {who} [please]",
  ],
  week: ["what did {who} listen to this week", "how (long|much) did {who} listen this week", "how was {who} week"],
  night: ["how was {who} night", "how did {who} sleep [last night]", "did {who} sleep well [last night]"],
  pause: ["[please] pause {who} yoto [please]", "[please] pause [the] (yoto|story) [(on|in|for) {who}] [please]"],
  resume: [
    "[please] (resume|continue|unpause) {who} yoto [please]",
    "[please] (resume|continue|unpause) [the] (yoto|story) [(on|in|for) {who}] [please]",
    "[please] keep playing on {who} yoto [please]",
  ],
  stop: [
    "[please] (stop|turn off|switch off) {who} yoto [please]",
    // Never "turn it off" alone: that is the lights' and the TV's.
    "[please] (turn|switch) {who} yoto off [please]",
    "[please] (turn|switch) it off on {who} yoto [please]",
    "[please] (stop|turn off|switch off) [the] (yoto|story) [(on|in|for) {who}] [please]",
  ],
  next: [
    "[please] (next|skip) [(this|the)] [(story|track|chapter|song)] on {who} yoto [please]",
    "[please] (next|skip) [(this|the)] [(story|track|chapter|song)] on [the] yoto [(in|for) {who}] [please]",
    "[please] skip {who} yoto [please]",
    "[please] next (story|chapter) [(on|in|for) {who}] [please]",
  ],
  previous: [
    "[please] (previous|last) (story|track|chapter|song) on {who} yoto [please]",
    "[please] go back [(a|one) (story|track|chapter|song)] on {who} yoto [please]",
    "[please] (previous|last) (story|chapter) [(on|in|for) {who}] [please]",
  ],
  volume_up: [
    "[please] turn up {who} yoto [please]",
    "[please] turn {who} yoto up [please]",
    "[please] turn (it|the sound) up on {who} yoto [please]",
    "[please] [turn] [the] volume up on {who} yoto [please]",
    "[please] make {who} yoto louder [please]",
    "[please] louder on {who} yoto [please]",
  ],
  volume_down: [
    "[please] turn down {who} yoto [please]",
    "[please] turn {who} yoto down [please]",
    "[please] turn (it|the sound) down on {who} yoto [please]",
    "[please] [turn] [the] volume down on {who} yoto [please]",
    "[please] make {who} yoto (quieter|softer) [please]",
    "[please] (quieter|softer) on {who} yoto [please]",
  ],
  volume_set: [
    "[please] set {who} yoto [volume] to [volume] {level} [please]",
    "[please] set the volume (of|on) {who} yoto to {level} [please]",
  ],
  stop_all: [
    "[please] (stop|turn off|switch off) all [of] [the] yotos [please]",
    "[please] stop [the] yotos [please]",
    "[please] stop all [the] yoto players [please]",
  ],
  whats_playing: [
    "(what's|whats|what is) (playing on|on) {who} yoto [(now|right now)]",
    "(what's|whats|what is) playing on [the] yoto [(in|for) {who}]",
    "(what's|whats|what is) {who} listening to [(now|right now)]",
    "(what's|whats|what is) {who} yoto playing [(now|right now)]",
  ],
  listened: [
    "how long (did|has) {who} (listen|listened) [to [the] yoto] today",
    "how much (did|has) {who} (listen|listened) [to [the] yoto] today",
  ],
  bedtime: [
    "(when is|when's|whens) {who} bedtime",
    "(when is|when's|whens|what time is) bedtime for {who}",
    "what time is {who} bedtime",
    "when does {who} go to bed",
  ],
};
