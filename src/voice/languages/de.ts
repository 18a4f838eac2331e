import {germanGrammar} from "./deGrammar.js";
import {germanSentences} from "./deSentences.js";
import {joinList, type SpokenTime, type VoiceLanguage} from "./language.js";

const WEEKDAYS = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];
const clock = (t: SpokenTime) => `${t.hour}:${String(t.minute).padStart(2, "0")} Uhr`;
const minutes = (n: number) => `${n} ${n === 1 ? "Minute" : "Minuten"}`;
const hours = (n: number) => `${n} ${n === 1 ? "Stunde" : "Stunden"}`;
/** Max' Yoto, Mias Yoto: a name ending in an s sound takes only the apostrophe. */
const genitive = (name: string) => (/[sßxz]$/i.test(name) ? `${name}'` : `${name}s`);
/** "einmal", "zweimal", "3-mal". */
const mal = (n: number) => (n === 1 ? "einmal" : n === 2 ? "zweimal" : `${n}-mal`);
/** "7:00 Uhr" said with its day: "morgen um 7:00 Uhr", "Donnerstag um 7:00 Uhr", "Mitternacht". */
const spoken = (t: SpokenTime) =>
  t.hour === 0 && t.minute === 0 && t.days <= 1
    ? "Mitternacht"
    : t.days === 0
      ? clock(t)
      : t.days === 1
        ? `morgen um ${clock(t)}`
        : `${WEEKDAYS[t.weekday] ?? ""} um ${clock(t)}`;

/** German: the voice blueprint's sentences and the answers, as the English file has them. */
export const german: VoiceLanguage = {
  code: "de",
  name: "Deutsch",
  sentences: germanSentences,
  grammar: germanGrammar,
  words: {
    yoto: ["yoto", "yotos", "yoto-player", "yoto player", "yoto mini"],
    leading: [
      "der",
      "die",
      "das",
      "den",
      "dem",
      "des",
      "ein",
      "eine",
      "einen",
      "mein",
      "meine",
      "meinen",
      "unser",
      "unsere",
      "unseren",
      "bitte",
      "ich",
      "mir",
      "wir",
      "uns",
    ],
    indefinite: ["ein", "eine", "einen", "irgendeine", "irgendein"],
    groupNouns: ["geschichte", "geschichten", "karte", "karten", "lied", "lieder"],
    joiners: ["auf", "für", "im", "in", "von"],
    oneMoreStory: ["noch eine geschichte"],
    houseThings: [
      "licht",
      "lampe",
      "fernseher",
      "tv",
      "ventilator",
      "heizung",
      "staubsauger",
      "rollladen",
      "rollo",
      "nachtlicht",
    ],
    oneMore: ["noch eine", "noch eins", "noch eine bitte"],
    everyone: ["alle", "alles", "allen", "jeden", "jedem", "alle yotos", "jeder"],
    and: ["und", "&", ","],
    polite: ["bitte", "gerade", "jetzt", "mal", "doch", "danke"],
    fillers: ["vom", "von", "über", "mit", "dem", "der", "die", "das", "den", "des", "und", "namens", "es"],
    hints: [
      "geschichte",
      "geschichten",
      "lied",
      "lieder",
      "karte",
      "hörspiel",
      "hörbuch",
      "märchen",
      "playlist",
      "wiedergabeliste",
      "album",
      "sendung",
      "podcast",
      "nummer",
      "platte",
      "track",
      "song",
    ],
    joinsWords: true,
    endings: ["e", "n", "en", "s", "es", "er", "ern", "em"],
    signs: [
      ["???", "Fragezeichen"],
      ["&", "und"],
      ["+", "plus"],
    ],
    something: [
      "etwas",
      "irgendwas",
      "irgendetwas",
      "was schönes",
      "eine geschichte",
      "irgendeine geschichte",
      "ein lied",
    ],
    yes: ["ja", "jawohl", "genau"],
    ordinals: [
      ["erste", "ersten", "erstes", "nummer eins"],
      ["zweite", "zweiten", "zweites", "nummer zwei"],
      ["dritte", "dritten", "drittes", "nummer drei"],
      ["letzte", "letzten", "letztes"],
    ],
    numbers: [
      "null",
      "eins",
      "zwei",
      "drei",
      "vier",
      "fünf",
      "sechs",
      "sieben",
      "acht",
      "neun",
      "zehn",
      "elf",
      "zwölf",
      "dreizehn",
      "vierzehn",
      "fünfzehn",
      "sechzehn",
      "siebzehn",
      "achtzehn",
      "neunzehn",
      "zwanzig",
    ],
    tens: ["zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"],
    hundred: "hundert",
    numberJoiner: "und",
    percent: ["%", "prozent"],
    by: ["um"],
    theOne: {before: [], after: "", not: []},
    loudest: ["maximum", "maximal", "maximale", "maximalen", "höchste", "höchsten", "lauteste", "lautesten", "volle"],
    quietest: ["minimum", "minimal", "minimale", "minimalen", "niedrigste", "niedrigsten", "leiseste", "leisesten"],
    commands: {
      next: ["nächste", "nächsten", "nächstes", "nächster", "anderes", "andere", "anderen"],
      previous: [
        "vorherige",
        "vorherigen",
        "vorheriges",
        "vorheriger",
        "vorige",
        "vorigen",
        "voriges",
        "letzte",
        "letzten",
        "letztes",
        "letzter",
      ],
      units: ["lied", "song", "titel", "kapitel", "geschichte", "folge", "stück", "track", "podcast"],
      joins: ["vom", "von", "im", "in", "aus", "dem", "der", "des", "diesem", "dieser", "einem", "einer"],
      again: ["nochmal", "noch einmal", "wieder"],
      resume: [
        "weiter",
        "weiterhin",
        // "Spiel bei Mia weiter, wo sie aufgehört hat".
        "weiter wo sie aufgehört hat",
        "weiter wo er aufgehört hat",
        "weiter wo ich aufgehört habe",
        "weiter wo wir aufgehört haben",
      ],
      replay: ["nochmal", "noch einmal"],
      restart: ["von vorne", "nochmal von vorne", "noch einmal von vorne", "wieder von vorne"],
    },
    storyRadio: "Geschichtenradio",
    kinds: {
      story: ["geschichte", "die geschichte"],
      station: ["sender", "den sender", "radio", "das radio", "radiosender", "den radiosender"],
      podcast: ["podcast", "den podcast"],
      stream: ["stream", "den stream"],
    },
  },
  titleQuotes: ["„", "“"],
  childsYoto: (child) => `${genitive(child)} Yoto`,
  // The apostrophe a speech engine may write ("Mia's"); Max' Yoto as written, and as heard without it.
  possessives: (child) => (/[sßxz]$/i.test(child) ? [`${child}'`, child] : [`${child}s`, `${child}'s`]),
  storyRadioOf: (child) => `${genitive(child)} Geschichtenradio`,
  time: spoken,
  duration(seconds) {
    const m = Math.floor(seconds / 60);
    if (m < 1) return "weniger als eine Minute";
    if (m < 60) return minutes(m);
    return m % 60 ? `${hours(Math.floor(m / 60))} und ${minutes(m % 60)}` : hours(m / 60);
  },
  list: (items, last) => joinList(items, last === "and" ? "und" : "oder"),
  answers: {
    playing: ({title, where}) => `Ich spiele ${title} auf ${where}.`,
    asleep: ({child, until}) => `${child} schläft: Ruhe bis ${until}.`,
    budgetUsed: ({child, until}) => `${child} hat heute genug gehört: Ruhe bis ${until}.`,
    quietPlayer: ({where, until}) => `${where} ist still bis ${until}.`,
    quietNoEnd: ({where}) => `${where} ist still, bis ein Elternteil es beendet.`,
    unknownName: ({name, known}) => `${name} kenne ich nicht. Ich kenne ${known}.`,
    unknownNameNoneKnown: ({name}) => `${name} kenne ich nicht, und ich kenne noch keine Yotos.`,
    which: ({known}) => `Welcher Yoto? Ich kenne ${known}.`,
    noYoto: ({child}) => `${child} hat im Familienplan keinen Yoto.`,
    notGranted: ({assistant, children}) => `Der Assistent '${assistant}' handelt nur für ${children}.`,
    noPlayers: () => "Ich kenne noch keine Yotos: verbinde zuerst das Yoto-Konto.",
    whatToPlay: () => "Was soll ich spielen? Sag einen Titel.",
    notFound: ({what}) => `Ich habe '${what}' nicht gefunden.`,
    notAYotos: ({what}) =>
      `'${what}' spielt kein Yoto. Sag es mit dem Raum, in dem es ist, dann macht es Home Assistant.`,
    didYouMean: ({what, title}) => `Ich habe '${what}' nicht gefunden. Meinst du ${title}?`,
    offline: ({where}) => `${where} ist offline.`,
    cloudDown: () => "Ich erreiche Yoto gerade nicht. Versuch es gleich noch einmal.",
    failed: ({where}) => `${where} hat es nicht getan. Versuch es gleich noch einmal.`,
    stillWaiting: ({title, where}) => `Ich habe ${where} gebeten, ${title} zu spielen; noch keine Antwort.`,
    askedPlayer: ({where}) => `Ich habe ${where} Bescheid gegeben; noch keine Antwort.`,
    lastOne: ({where}) => `Auf ${where} ist das schon das Letzte.`,
    firstOne: ({where}) => `Auf ${where} ist das schon das Erste.`,
    paused: ({where}) => `${where} ist angehalten.`,
    resumed: ({where}) => `${where} spielt weiter.`,
    stopped: ({where}) => `${where} ist gestoppt.`,
    skipped: ({where}) => `Das Nächste auf ${where}.`,
    skippedBack: ({where}) => `Eins zurück auf ${where}.`,
    volumeAt: ({where, level, max}) => `${where} hat Lautstärke ${level} von ${max}.`,
    volumeAtMax: ({where, max}) => `${where} ist so laut, wie er jetzt darf: ${max} von ${max}.`,
    volumeWhat: ({heard, max}) => `In '${heard}' habe ich keine Lautstärke gehört. Sag eine Zahl von 0 bis ${max}.`,
    choose: ({titles}) =>
      `Welche: ${joinList(titles, "oder")}? Sag zum Beispiel „spiel die ${titles.length > 2 ? "dritte" : "zweite"}“.`,
    storyRadioEmpty: ({child}) =>
      `${genitive(child)} Geschichtenradio hat noch nichts zu spielen: es spielt die Bibliothekstitel, Streams und Podcasts auf ${genitive(child)} Regal.`,
    nothingOffered: () => "Ich habe nichts zur Auswahl angeboten. Sag zuerst einen Titel.",
    nothingAsked: () => "Ich habe nichts zu den Yotos gefragt.",
    offeredFor: ({child, other, what}) =>
      `Die Auswahl war für ${child}. Für ${other} frag noch einmal: „spiel ${what} für ${other}“.`,
    emptyShelf: ({child}) =>
      `${genitive(child)} Regal ist leer: Eltern können es auf der Seite Familie füllen. Sag einen Titel.`,
    nothingPlaying: ({where}) => `Auf ${where} läuft gerade nichts.`,
    stoppedAll: ({count}) => `${count} ${count === 1 ? "Yoto" : "Yotos"} gestoppt.`,
    stoppedSome: ({count, failed}) =>
      `${count} ${count === 1 ? "Yoto" : "Yotos"} gestoppt; ${joinList(failed, "und")} ${failed.length === 1 ? "hat" : "haben"} nicht geantwortet.`,
    pausedAll: ({count}) => `${count} ${count === 1 ? "Yoto" : "Yotos"} angehalten.`,
    pausedSome: ({count, failed}) =>
      `${count} ${count === 1 ? "Yoto" : "Yotos"} angehalten; ${joinList(failed, "und")} ${failed.length === 1 ? "hat" : "haben"} nicht geantwortet.`,
    stoppedSeveral: ({where}) => `${where} sind gestoppt.`,
    pausedSeveral: ({where}) => `${where} sind angehalten.`,
    oneAtATime: ({choices}) => `Ich spiele immer nur auf einem Yoto: ${choices}?`,
    nothingPlayingAnywhere: () => "Auf keinem Yoto läuft gerade etwas.",
    nowPlaying: ({where, title, part}) => `Auf ${where} läuft ${title}${part ? `: ${part}` : ""}.`,
    pausedOn: ({where, title}) => `${where} ist bei ${title} angehalten.`,
    listened: ({child, duration}) => `${child} hat heute ${duration} gehört.`,
    listenedWithLeft: ({child, duration, left}) => `${child} hat heute ${duration} gehört; noch ${left}.`,
    listenedAll: ({child, duration}) => `${child} hat heute ${duration} gehört; für heute ist Schluss.`,
    playerListened: ({where, duration}) => `${where} hat heute ${duration} gespielt.`,
    bedtimeAt: ({child, time}) => `${genitive(child)} Schlafenszeit ist ${time}.`,
    asleepUntil: ({child, until}) => `${child} schläft bis ${until}.`,
    bedtimeWas: ({child, time}) => `${genitive(child)} Schlafenszeit war ${time}.`,
    bonusUntil: ({child, until, time}) => `${child} hat einen Bonus bis ${until}; Schlafenszeit war ${time}.`,
    noBedtime: ({child}) => `${child} hat im Familienplan keine Schlafenszeit.`,
    noChild: ({name}) => `${name} ist kein Kind im Familienplan.`,
    noPlan: () => "Im Familienplan sind noch keine Kinder: füge sie auf der Seite Familie hinzu.",
    whose: ({known}) => `Für wen? Ich kenne ${known}.`,
    askedParent: ({child}) => `Ich habe gefragt, ob ${child} noch eine Geschichte hören darf.`,
    alreadyAsked: ({child}) => `${child} hat schon gefragt; die Antwort steht noch aus.`,
    askedRecently: ({child, time}) => `${child} hat gerade erst gefragt. Frag wieder ab ${time}.`,
    granted: ({child, minutes: m}) => `${child} darf noch eine Geschichte hören: ${minutes(m)} mehr.`,
    grantedToTrackEnd: ({child}) => `${child} darf noch eine Geschichte hören, bis sie zu Ende ist.`,
    capReached: ({child, cap}) =>
      `${child} hatte heute schon ${cap} ${cap === 1 ? "Extra-Geschichte" : "Extra-Geschichten"}; für heute ist Schluss.`,
    noBonuses: ({child}) =>
      `${genitive(child)} Plan hat keine Extra-Geschichten: das können Eltern auf der Seite Familie ändern.`,
    mayListen: ({child}) => `${child} darf jetzt hören: sag einfach, was ich spielen soll.`,
    sleepStarted: ({child, title}) => `Ich spiele ${title} für ${child}. Schlaf gut.`,
    sleepAlready: ({child, title}) => `${title} läuft schon für ${child}.`,
    sleepUsed: ({child}) => `${child} hatte heute Nacht schon alle Schlafgeräusche. Jetzt kann ein Elternteil helfen.`,
    week: ({child, duration, title, nights}) =>
      `${child} hat diese Woche ${duration} gehört${title ? `, am meisten ${title}` : ""}.${nights ? ` Nachts war ${child} ${mal(nights)} wach.` : ""}`,
    weekNothing: ({child}) => `${child} hat diese Woche nichts gehört.`,
    night: ({child, tonight, wakes, first, played, asks}) => {
      const when = tonight ? "heute Nacht" : "letzte Nacht";
      const asked = asks ? ` und ${mal(asks)} nach noch einer Geschichte gefragt` : "";
      if (!wakes)
        return asks
          ? `${child} hat ${when} ${mal(asks)} nach noch einer Geschichte gefragt.`
          : `${child} hat ${when} durchgeschlafen.`;
      return `${child} war ${when} ${mal(wakes)} wach${asked}, zuerst um ${first}; das Schlafgeräusch lief ${played}.`;
    },
    sleepNone: ({child}) =>
      `${genitive(child)} Plan hat keine Schlafgeräusche: ein Elternteil kann sie auf der Seite Familie eintragen.`,
    declined: ({child, until}) => `Ein Elternteil hat heute Nein gesagt: ${child} darf ab ${until} wieder hören.`,
    anAnnouncement: () => "eine Durchsage",
    something: () => "etwas",
    busy: () => "Zu viele Anfragen auf einmal. Versuch es gleich noch einmal.",
  },
  blueprint: {
    name: "Yoto - Sprache (Deutsch)",
    baseTopic: {
      name: "MQTT-Basis-Topic",
      description: "Die Option base_topic des Add-ons (yoto, wenn nicht geändert).",
    },
    answerWithin: {
      name: "Auf die Antwort warten",
      description:
        "Sekunden, die auf die Antwort des Add-ons gewartet wird (es wartet bis zu 5 s auf einen langsamen Yoto).",
    },
    description:
      'Was die Familie Home Assistant über die Yotos sagt (spiel eine Geschichte auf Mias Yoto, noch eine Geschichte, Pause, was läuft, Schlafenszeit), an das Add-on Yoto Smart Stream übergeben: es entscheidet mit den Regeln des Familienplans und sagt die Antwort. Jede Liste unten sind die Sätze eines Auslösers in der Satz-Syntax von Home Assistant: [optional], (dies|das), {what} und {who} für den Titel und das Kind, den Yoto oder den Raum. Eigene Wörter einfach ergänzen (ein Satz endet ohne Satzzeichen, und keine Zeile bleibt leer: sonst lehnt Home Assistant die Automation ab). Die Seite Voice im Panel des Add-ons gibt diese Listen mit den Namen der Familie ("Mia möchte … hören", "Spiel … auf dem Yoto im Kinderzimmer") zum Einfügen. Geht mit jedem Konversationsagenten: Home Assistant prüft Satz-Auslöser vor jedem Agenten, auch einem KI-Agenten.',
    triggers: {
      play: {
        name: "Etwas spielen",
        description:
          "{what} ist eine Karte, Kartengruppe, Geschichte, ein Stream, Sender, Podcast oder Bibliothekstitel; {who} ein Kind, ein Yoto oder ein Raum.",
      },
      choose: {
        name: "Aus dem Angebot wählen",
        description:
          "Die Antwort auf „Welche: …?“ („die zweite“, „die mit dem Drachen“) oder „Meinst du …?“ („ja“), innerhalb einer Minute zum selben Satelliten gesagt.",
      },
      one_more_story: {
        name: "Noch eine Geschichte",
        description:
          'Fragt ein Elternteil, oder gewährt sie sofort, wo der Plan des Kindes auf der Seite Familie das so sagt ("One more story" by voice: Grant the bonus).',
      },
      sleep: {
        name: "Kann nicht schlafen",
        description:
          "Startet das Schlafgeräusch des Kindes aus dem Familienplan (auch nach der Schlafenszeit, so oft der Plan es pro Nacht erlaubt).",
      },
      week: {
        name: "Diese Woche",
        description: "Was ein Kind in den letzten sieben Tagen gehört hat, und wie oft es nachts wach war.",
      },
      night: {
        name: "Letzte Nacht",
        description: "Wie die Nacht eines Kindes war: wach, Schlafgeräusche, nach einer Geschichte gefragt.",
      },
      pause: {name: "Pause", description: "Hält einen Yoto an."},
      resume: {name: "Weiter", description: "Spielt weiter, wo angehalten wurde (nach den Regeln der Eltern)."},
      stop: {name: "Stopp", description: "Stoppt einen Yoto."},
      next: {name: "Nächstes", description: "Das nächste Kapitel oder der nächste Titel."},
      previous: {name: "Zurück", description: "Zurück zum Kapitel oder Titel davor."},
      volume_up: {
        name: "Lauter",
        description: "Eine Stufe lauter, höchstens so laut, wie der Familienplan jetzt erlaubt.",
      },
      volume_down: {name: "Leiser", description: "Eine Stufe leiser."},
      volume_set: {
        name: "Lautstärke einstellen",
        description:
          "{level} ist eine Stufe (0 bis 16, wie der Yoto zählt) oder ein Prozentwert; nie über dem Höchstwert des Plans.",
      },
      stop_all: {name: "Alle Yotos stoppen", description: "Jeder Yoto, auf dem etwas läuft, stoppt."},
      whats_playing: {name: "Was läuft", description: "Der Titel auf einem Yoto."},
      listened: {name: "Wie lange gehört", description: "Die heutige Hörzeit und was vom Tagesbudget bleibt."},
      bedtime: {
        name: "Wann ist Schlafenszeit",
        description: "Die heutige Schlafenszeit aus dem Familienplan, oder bis wann ein Kind schläft.",
      },
    },
    noAnswer: "Der Yoto-Dienst hat nicht geantwortet.",
  },
};
