import type {VoiceGrammar} from "../grammar.js";

const PERCENT = "(1|2|3|4|5|10|15|20|25|30|40|50|60|70|75|80|90|100)[ ](percent|%)";

/**
 * English: the family's sentences as parts (src/voice/grammar.ts), each trigger's frames with the
 * targets and device words every trigger shares. The family's names are written in by the service.
 */
export const englishGrammar: VoiceGrammar = {
  bareAtEdges: ["next", "previous", "pause", "resume"],
  devices: ["yoto", "yoto player", "yoto mini", "player", "mini"],
  everyDevice: ["yotos", "yoto players", "players", "minis"],
  targets: {
    for: ["for [my (son|daughter|boy|girl|little one)] <child>"],
    on: [
      "(on|in|at) <childs> [own] <device> [in [the] <place>]",
      "on [the] <player> [<device>] [in [the] <place>]",
      "on the <yoto> (in|for) [the] <place>",
      "on the <place> <yoto>",
      "in [the] <place> on the <yoto>",
    ],
    own: ["(on|in) (her|his|their) [own] <device>"],
    in: ["in [the] <place>"],
    room: ["in [the] <room>"],
    every: ["(all|every|each) [of] [the] (<yoto>|<yotos>) [in the house]"],
    named: ["[the] <player> [<device>]", "<childs> [own] <device>", "the <place> <yoto>"],
    first: ["<player> [<device>]", "<childs> [own] <device>"],
  },
  words: {
    lead: ["hey", "hi", "okay", "ok", "so", "now", "right"],
    yoto: ["yoto", "yoto player", "yoto mini"],
    yotos: ["yotos", "yoto players", "yoto minis"],
    thing: [
      "yoto",
      "story",
      "music",
      "audio",
      "audiobook",
      "audio book",
      "book",
      "podcast",
      "song",
      "track",
      "chapter",
      "show",
      "sound",
      "radio",
    ],
    // An amount without "by" only as a number and percent: "increase the volume to 50 percent" is a level, never an amount.
    steps: ["(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16)"],
    pct: [PERCENT],
    // How much louder or quieter, before or after the target ("turn the volume up by 20% in the living room").
    // A number, never a wildcard: "volume up by 10 on the sonos" is not an amount of "10 on the sonos".
    by: [
      "by (1|2|3|4|5|6|7|8|9|10|15|20|25|30|40|50|60|70|75|80|90|100|one|two|three|four|five|ten|twenty) [(percent|%|steps|step)]",
      `[by] ${PERCENT}`,
    ],
    some: [
      "[(some|my|our|her|his|the)] music",
      "(a|some) (story|stories|songs)",
      "something [(nice|calm|quiet|relaxing)]",
    ],
    left: [
      "where (i|we) (left off|stopped|paused) [(last time|last)]",
      "from (where|the (place|point) [where]) (i|we) [have] (left off|stopped|paused) [listening [to]] [(last time|last)]",
    ],
    unit: ["one", "song", "track", "chapter", "story", "episode", "item", "podcast", "title", "music", "audiobook"],
  },
  // Whose or which Yoto said first ("Ben's Yoto pause", "Living Room skip this"): `<named>` in a frame.
  frames: {
    week: [
      "what did <child> listen to this week",
      "how (long|much) did <child> listen [to [(the|her|his)] <device>] this week",
      "how was <childs> week",
    ],
    night: ["how was <childs> night", "how did <child> sleep [last night]", "did <child> sleep well [last night]"],
    sleep: [
      "<child> (can't|cannot|can not|cant) (sleep|get to sleep|fall asleep)",
      "<child> is (awake|up) again",
      "[please] (play|start) <childs> sleep (sound|sounds) [please]",
    ],
    one_more_story: [
      "[please] (one more|another) story [please] <for> [please]",
      "(can|may|could) <child> [please] have (one more|another) story [please]",
      "[please] (can|may|could) (we|i) [please] have (one more|another) story [please] <for> [please]",
      "<child> (wants|would like) (one more|another) story [please]",
      "<child> (can|may) have (one more|another) story [(tonight|today)]",
      "(can|may|could) <child> [please] have just (one more|another) story [please]",
      "is <child> allowed (one more|another) story [(tonight|today)]",
    ],
    listened: [
      "how (long|much) (did|has) <child> (listen|listened) [(to [(the|her|his)] <device>|to (her|his) stories)] today",
      "how much (yoto|listening) time (did|has) <child> [had] today",
      "how long has <child> been listening [to [(the|her|his)] <device>] today",
      "how much time (has|did) <child> (spent|spend) (on (the|her|his) <device>|listening) today",
      "how much (yoto|listening) (has|did) <child> (had|have) today",
      "how long (has|did) <named> (been playing|play) today",
    ],
    bedtime: [
      "(when is|when's|whens|what time is) <childs> bedtime [tonight]",
      "(when is|when's|whens|what time is) bedtime for <child> [tonight]",
      "(when|what time) (does|do|should|must) <child> (go to bed|go to sleep|have to go to bed) [tonight]",
    ],
    play: [
      "[please] [(can|could|would|will) you] [please] (play|put on|stream) [me] [please] {what} (<for> [<own>]|<on>) [please] [now]",
      // A room alone only where nothing but a Yoto plays ("play The Office on the TV in Mia's room"
      // is the TV's where one is), and only with "play": "start the vacuum in Mia's room" is not ours.
      "[please] [(can|could|would|will) you] [please] (play|start playing|stream) [me] [please] {what} <room> [please] [now] [please]",
      "<room> [(can|could|would|will) you] [please] play {what}",
      // "Put on" a title with a room alone too (Home Assistant has no "put on"); "put … on in the living room" stays the lights'.
      "[please] [(can|could|would|will) you] [please] put on {what} <room> [please] [now]",
      // "Start" and "turn on" only with the Yoto said: "start a timer for Mia", "turn on the TV for Mia" are not ours.
      "[please] [(can|could|would|will) you] [please] (start|start playing|turn on) [please] {what} <on> [please] [now]",
      // Music and stories, with no title, in any room that holds a Yoto.
      "[please] [(can|could|would|will) you] [please] (play|put on|start|turn on|stream) [me] [please] <some> (<in>|<for>|<on>) [please] [now] [please]",
      "[please] [(can|could|would|will) you] [please] put {what} <on> [please]",
      // Before the frames it extends: Home Assistant takes a trigger's first template that matches.
      "<child> (wants|would like) to (hear|listen to) {what} [please] [(can|could|would|will) you] [please] (play|put) it [on] <own> [please]",
      "[please] (let|can|could|may) <child> [please] (listen to|hear) {what} [(<own>|<on>|<in>)] [please]",
      "<child> (wants|would like|wishes) to (hear|listen to) {what} [(<own>|<on>|<in>)] [please]",
      "<child> (wants|would like|is asking for|asked for) {what} (<own>|<on>) [please]",
      "<child> is asking for {what} [please]",
      "(can|could|may) <child> [please] have {what} (<own>|<on>) [please]",
      "i (want|would like|wanna|need) to (hear|listen to) {what} (<for>|<on>|<room>) [please] [now]",
      "i (want|would like|wanna|need) {what} <on> [please] [now]",
      "(i'd|i would) like [to (hear|listen to)] {what} <on> [please]",
      "(i'd|i would) like to (hear|listen to) {what} <for> [please]",
      "[please] let (me|us) (hear|listen to) {what} <on> [please]",
      "(let's|lets|let us) (play|hear|listen to) {what} (<for> [<in>]|<on>|<room>) [please]",
      "(let's|lets|let us) have {what} (<for> [<in>]|<on>) [please]",
      "(i'd|i would) like {what} playing (<for>|<on>|<room>) [please]",
      "(can|could|may) <child> [please] have {what} on [please]",
      "i (want|need) you to play {what} (<for>|<on>|<room>) [please] [now]",
      "(can|could|may) (we|i) [please] (listen to|hear) {what} (<on>|<for>|<room>) [please]",
      "i (want|would like|wanna|need) <some> (<for>|<on>|<in>) [please] [now]",
      // A story read to a child is the Yoto's: "read Mia a story", "read the gruffalo to Ben", "start reading a book for Mia".
      "[please] [(can|could|would|will) you] [please] read <child> {what} [(<own>|<on>|<in>)] [please] [now]",
      "[please] [(can|could|would|will) you] [please] (read|start reading) {what} (to <child> [(<own>|<on>)]|<for> [<own>]|<on>) [please] [now]",
      "<first> (should|can|could) play {what}",
      "<first> (play|put on|start) {what}",
    ],
    pause: [
      "[please] pause [the] (yoto|story) [please]",
      "<at> [please] [(can|could|would|will) you] [please] pause [(the|my|this)] [<thing>] <at> [please]",
      // "It" with a room alone is anyone's (the TV, the lights): with "it", the Yoto or the child is said.
      "[please] [(can|could|would|will) you] [please] pause it (<on>|<for>) [please]",
      "[(hold on|wait)] [please] [(can|could|would|will) you] [please] pause <named> [please] [for a (sec|second|minute|moment|bit)]",
      "[please] pause <childs> <thing> [please]",
      "<first> pause",
      // Home Assistant's own "stop playing" is a pause (its HassMediaPause sentences), and so is ours.
      "[please] [(can|could|would|will) you] [please] stop playing (<on>|<in>|<for>) [please]",
      // Two clauses, the child first and the Yoto by a pronoun: "Mia's going to the toilet, pause her story".
      "(<child>|<childs>) {aside} [please] pause (her|his|their) <thing> [please]",
    ],
    resume: [
      "[please] (resume|continue|unpause) [the] (yoto|story) [please]",
      // A title after the verb plays that title ("resume the sleepy dragon on Mia's Yoto"): voiceControls.ts.
      "[please] [(can|could|would|will) you] [please] (resume|continue|keep playing|continue playing|continue with|open) {what} (<on>|<for>) [<left>] [please] [now]",
      // A room alone only after "playing": "open the blinds in Mia's room" is the blinds'.
      "[please] [(can|could|would|will) you] [please] (keep playing|continue playing) {what} <room> [<left>] [please] [now]",
      "<at> [please] [(can|could|would|will) you] [please] (resume|continue|unpause|keep playing|continue playing|carry on [playing]|keep going [with]) [(the|my|this)] [<thing>] <at> [<left>] [please]",
      "[please] [(can|could|would|will) you] [please] (resume|continue|unpause) <named> [please]",
      "[please] (resume|continue|unpause) <childs> <thing> [please]",
      "<first> (resume|unpause|continue)",
    ],
    stop: [
      "[please] (stop|turn off|switch off) [the] (yoto|story) [please]",
      "<at> [please] [(can|could|would|will) you] [please] (stop|turn off|switch off) [(the|my|this)] [<thing>] <at> [please]",
      "[please] [(can|could|would|will) you] [please] stop it (<on>|<for>) [please]",
      // A Yoto by its name alone is never switched off: "turn off the living room" is the lights'.
      "[please] (stop|turn off|switch off) (the <place> <yoto>|<childs> [own] <device>|[the] <player> <device>|[the] <yotoname>) [please]",
      "[please] (turn|switch) (the <place> <yoto>|<childs> [own] <device>) off [please]",
      "[please] (turn|switch) it off (<on>|<for>) [please]",
      "[please] stop <named> [please]",
      "[please] stop <childs> <thing> [please]",
      "<first> stop",
      "(<child>|<childs>) {aside} [please] (stop|turn off|switch off) (her|his|their) <thing> [please]",
    ],
    next: [
      "[please] next (story|chapter) [please]",
      "<at> [please] [(can|could|would|will) you] [please] (skip|next|skip to|skip ahead|skip forward|go to|move to|jump to|forward|proceed to) [(the|this|an|a|one)] [next] [<unit>] [(in|of) the <thing>] <at> [please]",
      "<first> (skip|next) [(the|this)] [next] [<unit>]",
      "<at> [please] (skip|move on|move|go on) to the next [podcast] <unit> [in the list] <at> [please]",
      // With the Yoto said, "start the next one on Ben's Yoto" is play's, read as this command.
      "[please] start [the] next [podcast] <unit> (<in>|<for>) [please]",
      "(<child>|i|we) (doesn't|does not|don't|do not) like (this|that|the) <unit> [<on>] [[please] skip it]",
    ],
    previous: [
      "[please] (previous|last) (story|chapter) [please]",
      "<at> [please] [(can|could|would|will) you] [please] (go back|back|skip back|previous|replay) [(to|one|a)] [(the|this)] [(previous|last)] [<unit>] [again] <at> [please]",
      "<first> (go back|replay) [(to|one|a)] [(the|this)] [(previous|last)] [<unit>] [again]",
      "<at> [please] go back to [the] (previous|last) <unit> [(of|in) [(the|this)] podcast] <at> [please]",
      "(<child>|<childs>) {aside} [please] (go back|skip back) [(a|one)] [<unit>] <own> [please]",
      // "Play that chapter again from the start" is play's, read as this command (whatIsMeant).
      "<at> [please] [(can|could|would|will) you] [please] restart (that|this|the) <unit> <at> [please]",
    ],
    volume_up: [
      "<at> [please] [(can|could|would|will) you] [please] (turn up|increase|raise|boost) [the] [music] (volume|sound) [(of|on)] [<by>] <at> [<by>] [please]",
      "[please] (turn up|increase|raise) [the] (<named>|<place>) (volume|sound) [<by>]",
      "<at> [please] turn [the] (sound|volume) up [a (bit|little)] [<by>] <at> [<by>]",
      "[please] [(can|could|would|will) you] [please] (turn up|increase|raise|boost) [the] (volume|sound) [<by>] (of|for) <named> [<by>] [please]",
      "[please] turn it up [<by>] (<on>|<for>) [<by>]",
      "[please] make (<named>|it (<on>|<for>)) [a (bit|little)] louder [please]",
      "[please] make it louder (<on>|<for>) [please]",
      "<at> [please] [(can|could|would|will) you] [please] make (it|<childs> <thing>|the <thing>) [a (bit|little)] louder <at> [please]",
      "[please] turn <child> up [a (bit|little)] [please]",
      "[please] [(can|could|would|will) you] [please] make <childs> <thing> [a (bit|little)] louder [please]",
      "[please] [(can|could|would|will) you] [please] turn (up the <yoto> (<in>|<for>)|the <yoto> (<in>|<for>) up)",
      "[please] [(can|could|would|will) you] [please] turn (the <place> <yoto>|<childs> [own] <device>|[the] <player> <device>) up [a (bit|little)] [please]",
      "(<named>|it (<on>|<for>)) is too (quiet|soft)",
      "<child> (can't|cannot|can not) hear [(it|anything)] [[please] turn (it|(her|his|their) <device>) up [a (bit|little)]]",
      "[please] louder (<on>|<in>) [please]",
      "(<named>|<place>) volume (up|increase) [<by>]",
      "volume up (<on>|<in>|<for>|<named>) [<by>]",
      "volume up <by> (<on>|<in>|<for>)",
      "i (can't|cannot|can not) hear [anything] (<on>|<in>|from <named>|<named>)",
      "i (can't|cannot|can not) hear [anything] [just] (turn up|increase|raise) the (volume|sound) (<on>|<in>|<for>)",
    ],
    volume_down: [
      "<at> [please] [(can|could|would|will) you] [please] (turn down|decrease|lower|reduce|cut down|slow down) [the] [music] (volume|sound) [(of|on)] [<by>] <at> [<by>] [please]",
      "[please] (turn down|decrease|lower|reduce|cut down|slow down) [the] (<named>|<place>) (volume|sound) [<by>]",
      "<at> [please] turn [the] (sound|volume) down [a (bit|little)] [<by>] <at> [<by>]",
      "[please] [(can|could|would|will) you] [please] (turn down|decrease|lower|reduce) [the] (volume|sound) [<by>] (of|for) <named> [<by>] [please]",
      "[please] turn it down [<by>] (<on>|<for>) [<by>]",
      "[please] make (<named>|it (<on>|<for>)) [a (bit|little)] (quieter|softer) [please]",
      "[please] make it (quieter|softer) (<on>|<for>) [please]",
      "<at> [please] [(can|could|would|will) you] [please] make (it|<childs> <thing>|the <thing>) [a (bit|little)] (quieter|softer) <at> [please]",
      "[please] turn <child> down [a (bit|little)] [please]",
      "[please] [(can|could|would|will) you] [please] make <childs> <thing> [a (bit|little)] (quieter|softer) [please]",
      "[please] [(can|could|would|will) you] [please] turn (down the <yoto> (<in>|<for>)|the <yoto> (<in>|<for>) down)",
      "[please] [(can|could|would|will) you] [please] turn (the <place> <yoto>|<childs> [own] <device>|[the] <player> <device>) down [a (bit|little)] [please]",
      "[please] (quieter|softer) (<on>|<in>) [please]",
      "(<named>|<place>) volume (down|decrease) [<by>]",
      "volume down (<on>|<in>|<for>|<named>) [<by>]",
      "volume down <by> (<on>|<in>|<for>)",
      "(<named>|it (<on>|<for>)) is too loud",
      "(it's|it is) too loud (<on>|<in>|<for>) [[please] turn it down]",
    ],
    volume_set: [
      "<at> [please] (set|change|turn) [the] (volume|sound) [of the <thing>] to [volume] {level} <at> [please]",
      "[please] (set|change|turn) [the] (volume|sound) (of|on|for|in) (<named>|[the] <place>) to [volume] {level} [please]",
      "[please] (set|change|turn) [the] (volume|sound) [level] (<on>|<in>|<for>) to [volume] {level} [please]",
      "<at> [please] turn [the] (volume|sound) (up|down) to {level} <at> [please]",
      "<at> [please] (turn up|turn down|increase|decrease|lower|raise) [the] (volume|sound) [of the <thing>] to {level} <at> [please]",
      // "Set Mia's room to 50%" is the lights': a room is a volume's only with "volume" said.
      "[please] (set|turn|change) (<named>|<place>) (volume|sound) [(up|down)] to [volume] {level} [please]",
      "[please] (set|put|turn) (<childs> [own] <device>|the <place> <yoto>|[the] <player> <yoto>) (to|at) [volume] {level} [please]",
      // A level said bare after "volume" only as a number: "volume up on Mia's Yoto" is louder (the number is read from the sentence).
      "[set] [the] volume [to] (<steps>|<pct>) (<on>|<for>) [please]",
      "[please] (set|put) <named> on volume {level} [please]",
      "[please] (set|change|turn) <childs> (volume|sound) to [volume] {level} [please]",
      "[please] (set|put|turn) [the] <yotoname> (to|at) [volume] (<steps>|<pct>|max|maximum|min|minimum) [please]",
    ],
    stop_all: [
      "[please] (stop|turn off|switch off) <every> [please]",
      "[please] (stop|end) (playback|the music|the stories|everything) on <every> [please]",
    ],
    whats_playing: [
      "(what's|whats|what is) playing on [the] yoto",
      "(what's|whats|what is) (playing|on) [(now|right now|currently)] (<on>|<in>|<for>) [(now|right now|currently)]",
      "(what's|whats|what is) [the] <named> playing [(now|right now|currently)]",
      "(what's|whats|what is) (playing on|on) [the] <player> [(now|right now|currently)]",
      "what is the <unit> [name] [(that is|that's)] [playing] (<on>|<in>|<for>) [(now|right now)]",
      "what is the (name|title) of the <unit> [(that is|that's)] [playing] [(now|right now)] (<on>|<in>|<for>)",
      "what is <child> [currently] listening to [(now|right now|currently)]",
      "(what's|whats) <child> [currently] listening to [(now|right now|currently)]",
      "(what|which) <unit> is <child> [currently] listening to [(now|right now|currently)]",
      "[please] (check|tell me|give me information on) [the] [current] [(playing|current)] (<unit>|music title|title|song that's playing|song that is playing) (<on>|<in>|<for>)",
      "(which|what) <unit> is [(this|that)] [playing] (<on>|<in>|<for>)",
      "(which|what) <unit> is (on|playing) [(now|right now)] (<on>|<in>|<for>)",
      "(which|what) <unit> is (this|that) [one] (<on>|<in>|<for>)",
      "(what|which) (<unit>|music) is (currently|now) playing (<on>|<in>|<for>)",
      "[please] [(can|could|would|will) you] [please] (tell me|do you know|what is|what's|whats) the (name|title) of (the|this|that) (<unit>|piece|music) [(that is|that's|you are|you're)] [(currently|now)] playing (<on>|<in>|<for>)",
      "[the] (title|name) of [the] [current] (<unit>|music) (<on>|<in>|<for>)",
      "[the] [current] (<unit>|music) (title|name|info) (<on>|<in>|<for>)",
      "identify [(the|this)] (<unit>|music) (<on>|<in>|<for>)",
    ],
  },
};
