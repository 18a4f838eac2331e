import {englishGrammar} from "./enGrammar.js";
import {englishSentences} from "./enSentences.js";
import {joinList, type SpokenTime, type VoiceLanguage} from "./language.js";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const clock = (t: SpokenTime) => `${t.hour}:${String(t.minute).padStart(2, "0")}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** "once", "twice", "3 times". */
const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

/** English: the voice blueprint's sentences (enSentences.ts), the words read in what was heard, and the answers. */
export const english: VoiceLanguage = {
  code: "en",
  name: "English",
  sentences: englishSentences,
  grammar: englishGrammar,
  words: {
    yoto: ["yoto", "yotos", "yoto player", "yoto mini"],
    // "Continue playing my Goodnight Moon": the verb's own "playing" heard as the title's start.
    leading: ["the", "a", "an", "my", "our", "some", "please", "i", "me", "we", "us", "playing"],
    indefinite: ["a", "an", "some", "any"],
    groupNouns: ["story", "stories", "card", "cards", "song", "songs"],
    joiners: ["on", "for", "in", "of"],
    oneMoreStory: ["one more story", "another story"],
    houseThings: [
      "light",
      "lights",
      "lamp",
      "tv",
      "television",
      "fan",
      "heating",
      "heater",
      "vacuum",
      "blinds",
      "night light",
    ],
    oneMore: ["one more", "another one", "one more please"],
    everyone: ["all", "everything", "everyone", "everybody", "every", "each", "all the", "all of them", "all of the"],
    and: ["and", "&", ","],
    polite: ["please", "now", "right now", "thanks", "thank you"],
    // "Resume the playback of …": a word around a title, never one of its own ("Reading Rainbow" has "reading").
    fillers: ["about", "of", "with", "called", "named", "and", "the", "a", "an", "it", "playback"],
    hints: [
      "story",
      "stories",
      "song",
      "songs",
      "card",
      "cards",
      "book",
      "audiobook",
      "audio",
      "tale",
      "playlist",
      "album",
      "track",
    ],
    joinsWords: false,
    endings: ["s", "es"],
    signs: [
      ["&", "and"],
      ["+", "plus"],
    ],
    something: ["something", "anything", "a story", "any story", "some stories", "something nice", "a song", "a book"],
    yes: ["yes", "yeah", "yep", "yup"],
    ordinals: [
      ["first", "1st", "first one", "number one"],
      ["second", "2nd", "second one", "number two"],
      ["third", "3rd", "third one", "number three"],
      ["last", "last one"],
    ],
    numbers: [
      "zero",
      "one",
      "two",
      "three",
      "four",
      "five",
      "six",
      "seven",
      "eight",
      "nine",
      "ten",
      "eleven",
      "twelve",
      "thirteen",
      "fourteen",
      "fifteen",
      "sixteen",
      "seventeen",
      "eighteen",
      "nineteen",
      "twenty",
    ],
    tens: ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
    hundred: "hundred",
    numberJoiner: "",
    percent: ["%", "percent", "per cent"],
    by: ["by"],
    theOne: {
      before: ["the", "that"],
      after: "one",
      not: ["other", "same", "new", "old", "next", "this", "that", "last", "first"],
    },
    loudest: ["max", "maximum", "highest", "loudest", "full"],
    quietest: ["min", "minimum", "lowest", "quietest"],
    commands: {
      next: ["next", "following"],
      previous: ["previous", "last"],
      units: ["one", "song", "track", "chapter", "story", "episode", "item", "podcast", "title", "recording", "show"],
      joins: ["of", "in", "on", "a", "the", "this", "that"],
      again: ["again"],
      resume: [],
      replay: [],
      // Said after a part, the part again from its start: "that chapter again from the start".
      restart: [
        "again from the start",
        "again from the beginning",
        "from the start",
        "from the beginning",
        "over again",
      ],
    },
    storyRadio: "story radio",
    kinds: {
      story: ["story", "the story"],
      station: ["station", "the station", "radio", "the radio", "radio station", "the radio station"],
      podcast: ["podcast", "the podcast"],
      stream: ["stream", "the stream"],
    },
  },
  titleQuotes: ["“", "”"],
  childsYoto: (child) => `${child}'s Yoto`,
  possessives: (child) => (/s$/i.test(child) ? [`${child}'`, `${child}'s`, child] : [`${child}'s`, `${child}s`]),
  storyRadioOf: (child) => `${child}'s story radio`,
  time: (t) =>
    t.hour === 0 && t.minute === 0 && t.days <= 1
      ? "midnight"
      : t.days === 0
        ? clock(t)
        : t.days === 1
          ? `${clock(t)} tomorrow`
          : `${clock(t)} on ${WEEKDAYS[t.weekday] ?? ""}`,
  duration(seconds) {
    const minutes = Math.floor(seconds / 60);
    if (minutes < 1) return "less than a minute";
    if (minutes < 60) return plural(minutes, "minute");
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest ? `${plural(hours, "hour")} and ${plural(rest, "minute")}` : plural(hours, "hour");
  },
  list: (items, last) => joinList(items, last),
  answers: {
    playing: ({title, where}) => `Playing ${title} on ${where}.`,
    asleep: ({child, until}) => `${child} is asleep: quiet until ${until}.`,
    budgetUsed: ({child, until}) => `${child} has listened enough for today: quiet until ${until}.`,
    quietPlayer: ({where, until}) => `${where} is quiet until ${until}.`,
    quietNoEnd: ({where}) => `${where} is quiet until a parent ends it.`,
    unknownName: ({name, known}) => `I don't know ${name}. I know ${known}.`,
    unknownNameNoneKnown: ({name}) => `I don't know ${name}, and I don't know any Yotos yet.`,
    which: ({known}) => `Which Yoto? I know ${known}.`,
    noYoto: ({child}) => `${child} has no Yoto in the family plan.`,
    notGranted: ({assistant, children}) => `The assistant '${assistant}' acts for ${children} only.`,
    noPlayers: () => "I don't know any Yotos yet: link the Yoto account first.",
    whatToPlay: () => "What should I play? Say a title.",
    notFound: ({what}) => `I couldn't find '${what}'.`,
    notAYotos: ({what}) =>
      `'${what}' isn't something a Yoto plays. Say it with the room it is in, and Home Assistant does it.`,
    didYouMean: ({what, title}) => `I couldn't find '${what}'. Did you mean ${title}?`,
    offline: ({where}) => `${where} is offline.`,
    cloudDown: () => "I can't reach Yoto right now. Try again in a minute.",
    failed: ({where}) => `${where} didn't do it. Try again in a moment.`,
    stillWaiting: ({title, where}) => `I've asked ${where} to play ${title}; it hasn't answered yet.`,
    askedPlayer: ({where}) => `I've asked ${where}; it hasn't answered yet.`,
    lastOne: ({where}) => `That's the last one on ${where}.`,
    firstOne: ({where}) => `That's the first one on ${where}.`,
    paused: ({where}) => `Paused ${where}.`,
    resumed: ({where}) => `Playing again on ${where}.`,
    stopped: ({where}) => `Stopped ${where}.`,
    skipped: ({where}) => `Next one on ${where}.`,
    skippedBack: ({where}) => `Back one on ${where}.`,
    volumeAt: ({where, level, max}) => `${where} is at volume ${level} of ${max}.`,
    volumeAtMax: ({where, max}) => `${where} is as loud as it may be now: ${max} of ${max}.`,
    volumeWhat: ({heard, max}) => `I didn't catch a volume in '${heard}'. Say a number from 0 to ${max}.`,
    choose: ({titles}) =>
      `Which one: ${joinList(titles, "or")}? Say "play the ${titles.length > 2 ? "third" : "second"} one", for example.`,
    storyRadioEmpty: ({child}) =>
      `${child}'s story radio has nothing to play yet: it plays the library items, streams and podcasts on ${child}'s shelf.`,
    nothingOffered: () => "I haven't offered anything to choose from. Say a title first.",
    nothingAsked: () => "I haven't asked anything about the Yotos.",
    offeredFor: ({child, other, what}) =>
      `I offered that choice for ${child}. For ${other}, ask again: "play ${what} for ${other}".`,
    emptyShelf: ({child}) => `${child}'s shelf is empty: a parent can fill it on the Family page. Say a title.`,
    nothingPlaying: ({where}) => `Nothing is playing on ${where}.`,
    stoppedAll: ({count}) => `Stopped ${plural(count, "Yoto")}.`,
    stoppedSome: ({count, failed}) => `Stopped ${plural(count, "Yoto")}; ${joinList(failed, "and")} didn't answer.`,
    pausedAll: ({count}) => `Paused ${plural(count, "Yoto")}.`,
    pausedSome: ({count, failed}) => `Paused ${plural(count, "Yoto")}; ${joinList(failed, "and")} didn't answer.`,
    stoppedSeveral: ({where}) => `Stopped ${where}.`,
    pausedSeveral: ({where}) => `Paused ${where}.`,
    oneAtATime: ({choices}) => `I play on one Yoto at a time: ${choices}?`,
    nothingPlayingAnywhere: () => "Nothing is playing on any Yoto.",
    nowPlaying: ({where, title, part}) => `${where} is playing ${title}${part ? `: ${part}` : ""}.`,
    pausedOn: ({where, title}) => `${where} is paused on ${title}.`,
    listened: ({child, duration}) => `${child} listened for ${duration} today.`,
    listenedWithLeft: ({child, duration, left}) => `${child} listened for ${duration} today; ${left} left.`,
    listenedAll: ({child, duration}) => `${child} listened for ${duration} today; that's all for today.`,
    playerListened: ({where, duration}) => `${where} played for ${duration} today.`,
    bedtimeAt: ({child, time}) => `${child}'s bedtime is at ${time}.`,
    asleepUntil: ({child, until}) => `${child} is asleep until ${until}.`,
    bedtimeWas: ({child, time}) => `${child}'s bedtime was at ${time}.`,
    bonusUntil: ({child, until, time}) => `${child} has a bonus until ${until}; bedtime was at ${time}.`,
    noBedtime: ({child}) => `${child} has no bedtime in the family plan.`,
    noChild: ({name}) => `${name} is not a child in the family plan.`,
    noPlan: () => "There are no children in the family plan yet: add them on the Family page.",
    whose: ({known}) => `For whom? I know ${known}.`,
    askedParent: ({child}) => `I've asked a parent if ${child} can have one more story.`,
    alreadyAsked: ({child}) => `${child}'s request is waiting for a parent's answer.`,
    askedRecently: ({child, time}) => `${child} asked a moment ago. Ask again after ${time}.`,
    granted: ({child, minutes}) => `${child} can have one more story: ${plural(minutes, "more minute")}.`,
    grantedToTrackEnd: ({child}) => `${child} can have one more story, to the end of it.`,
    capReached: ({child, cap}) =>
      `${child} has had ${cap} extra ${cap === 1 ? "story" : "stories"} today; that's all for today.`,
    noBonuses: ({child}) => `${child}'s plan has no extra stories: a parent can change that on the Family page.`,
    mayListen: ({child}) => `${child} can listen now: just ask me to play a story.`,
    sleepStarted: ({child, title}) => `Playing ${title} for ${child}. Sleep well.`,
    sleepAlready: ({child, title}) => `${title} is already playing for ${child}.`,
    sleepUsed: ({child}) => `${child} has had tonight's sleep sounds. A parent can help now.`,
    sleepNone: ({child}) => `${child}'s plan has no sleep sounds: a parent can add them on the Family page.`,
    week: ({child, duration, title, nights}) =>
      `${child} listened for ${duration} this week${title ? `, most of all ${title}` : ""}.${nights ? ` ${child} was up ${times(nights)} at night.` : ""}`,
    weekNothing: ({child}) => `${child} hasn't listened to anything this week.`,
    night: ({child, tonight, wakes, first, played, asks}) => {
      const when = tonight ? "tonight" : "last night";
      const asked = asks ? ` and asked for one more story ${times(asks)}` : "";
      if (!wakes)
        return asks ? `${child} asked for one more story ${times(asks)} ${when}.` : `${child} slept through ${when}.`;
      return `${child} woke ${times(wakes)} ${when}${asked}, first at ${first}; the sleep sound played ${played}.`;
    },
    declined: ({child, until}) => `A parent said not tonight: ${child} can listen again at ${until}.`,
    anAnnouncement: () => "an announcement",
    something: () => "something",
    busy: () => "Too many requests at once. Try again in a moment.",
  },
  blueprint: {
    name: "Yoto - voice (English)",
    description:
      "What the family says to Home Assistant about the Yotos (play a story on Mia's Yoto, one more story, pause, what's playing, bedtime), handed to the Yoto Smart Stream add-on, which decides with the family plan's rules and says the answer. Each list below is the sentences of one trigger, in Home Assistant's sentence syntax: [optional], (this|that), {what} and {who} for the title and the child, Yoto or room. Add your own words to any list (a sentence ends without punctuation, and no line is left empty: Home Assistant refuses the automation otherwise). The add-on panel's Voice page gives these lists with your family's own names written in (\"Mia wants to hear …\", \"play … on the Yoto in Mia's room\"), to paste. Works with any conversation agent: Home Assistant matches sentence triggers before any agent, an AI one too.",
    baseTopic: {name: "MQTT base topic", description: "The add-on's base_topic option (yoto unless you changed it)."},
    answerWithin: {
      name: "Wait for the answer",
      description:
        "Seconds to wait for the add-on's answer before saying it did not answer (it waits up to 5 s for a slow Yoto).",
    },
    triggers: {
      play: {
        name: "Play something",
        description:
          "{what} is a card, card group, story, stream, station, podcast or library item by its title; {who} a child, a Yoto or a room.",
      },
      choose: {
        name: "Choose what was offered",
        description:
          'The answer to "Which one: …?" ("the second one", "the dragon one") or "Did you mean …?" ("yes"), said to the same satellite within a minute.',
      },
      one_more_story: {
        name: "One more story",
        description:
          'Asks a parent, or grants it at once where the child\'s plan on the Family page says "One more story" by voice: Grant the bonus.',
      },
      sleep: {
        name: "Can't sleep",
        description:
          "Starts the child's sleep sound from the family plan (at bedtime too, within the plan's limits a night).",
      },
      week: {
        name: "This week",
        description: "A child's listening over the last seven days, and the nights they were up.",
      },
      night: {name: "Last night", description: "How a child's night went: wakes, sleep sounds, one more story asked."},
      pause: {name: "Pause", description: "Pause someone's Yoto."},
      resume: {name: "Resume", description: "Play again where it paused (the parents' rules are asked first)."},
      stop: {name: "Stop", description: "Stop someone's Yoto."},
      next: {name: "Next", description: "The next chapter or track."},
      previous: {name: "Previous", description: "Back to the chapter or track before."},
      volume_up: {name: "Louder", description: "One step louder, up to the most the family plan allows now."},
      volume_down: {name: "Quieter", description: "One step quieter."},
      volume_set: {
        name: "Set the volume",
        description: "{level} is a step (0 to 16, as the Yoto counts) or a percentage; never past the plan's most.",
      },
      stop_all: {name: "Stop all the Yotos", description: "Every Yoto with something on it stops."},
      whats_playing: {name: "What's playing", description: "The title on someone's Yoto."},
      listened: {
        name: "How long did they listen",
        description: "Today's listening, and what is left of the day's budget.",
      },
      bedtime: {
        name: "When is bedtime",
        description: "Tonight's bedtime from the family plan, or until when a child is asleep.",
      },
    },
    noAnswer: "The Yoto service didn't answer.",
  },
};
