import type {VoiceTrigger} from "../../shared/api/voice.js";

/**
 * German: the sentences the blueprint ships, per trigger, with `{who}` where the family's names go
 * (the service writes them in; src/voice/familySentences.ts). The composed frames are deGrammar.ts.
 */
export const germanSentences: Record<VoiceTrigger, string[]> = {
  play: [
    "[bitte] (spiel|spiele|starte) [bitte] {what} auf {who} Yoto [bitte]",
    "[bitte] (spiel|spiele|starte) [bitte] {what} auf [dem] Yoto [(im|in|für|von) {who}] [bitte]",
    // Nie "starte … für …", auch nicht mit dem Namen eines Kindes: "starte einen Timer für Mia" gehört Home Assistant.
    "[bitte] (spiel|spiele) [bitte] {what} für {who} [bitte]",
    "[bitte] (spiel|spiele) [bitte] {what} (im|in der) {who} auf [dem] Yoto [bitte]",
    "(kannst|könntest) du [bitte] {what} (für {who}|auf {who} Yoto) [ab]spielen",
    "[bitte] mach [bitte] {what} auf {who} Yoto an",
    // Nie "mach … im Kinderzimmer an" ohne Yoto: das ist das Licht.
    "[bitte] mach [bitte] {what} auf [dem] Yoto [(im|in|für|von) {who}] an",
    "[bitte] leg [bitte] {what} auf {who} Yoto auf",
    "[bitte] leg [bitte] {what} auf [dem] Yoto [(im|in|für|von) {who}] auf",
    "ich (möchte|will) {what} auf {who} Yoto hören",
  ],
  // Die Antwort auf „Welche: …?“ oder „Meinst du …?“: ohne Namen, das Angebot an diesen Satelliten entscheidet.
  choose: [
    "[bitte] [(spiel|spiele)] [bitte] (die|den|das) (erste|zweite|dritte|letzte|ersten|zweiten|dritten|letzten|erstes|zweites|drittes|letztes) [bitte]",
    "[bitte] [(spiel|spiele)] [bitte] (die|den|das) mit [(dem|der|den)] {what} [bitte]",
    "(ja|jawohl|genau) [bitte]",
    "ja [bitte] (spiel|spiele) [bitte] (es|das|den|die|ihn|sie) [bitte]",
  ],
  one_more_story: [
    "[bitte] noch eine Geschichte [bitte] [für {who}] [bitte]",
    "(darf|kann) {who} [bitte] noch eine Geschichte [bitte] [hören]",
    "{who} (möchte|will) [bitte] noch eine Geschichte",
    "(können|dürfen|könnten) wir [bitte] noch eine Geschichte [bitte] [für {who}] [bitte] [(haben|hören)]",
  ],
  week: ["was hat {who} diese Woche gehört", "wie (viel|lange) hat {who} diese Woche gehört"],
  night: ["wie war {who} Nacht", "wie hat {who} [(heute Nacht|letzte Nacht)] geschlafen"],
  sleep: [
    "{who} kann nicht (schlafen|einschlafen)",
    "{who} ist wieder wach",
    // Nie "spiel … für Mia": das ist "spiel {what} für {who}", ein Titel.
    "[bitte] starte [bitte] (das|die) (Schlafgeräusch|Schlafgeräusche) (für|von) {who} [bitte]",
  ],
  pause: [
    "[bitte] (pausiere|pause) [bitte] {who} Yoto",
    "[bitte] (pausiere|pause) [bitte] [(den|die|das)] (Yoto|Geschichte) [(im|in|für|von|auf) {who}]",
    "[bitte] halte [bitte] {who} Yoto an",
    "[bitte] mach [bitte] Pause auf {who} Yoto",
  ],
  resume: [
    "[bitte] (setze|setz) [bitte] {who} Yoto fort",
    "[bitte] (setze|setz|mach) [bitte] [(den|die|das)] (Yoto|Geschichte) [(im|in|für|von|auf) {who}] (fort|weiter)",
    "[bitte] mach [bitte] {who} Yoto weiter",
    "[bitte] weiter auf {who} Yoto",
  ],
  stop: [
    "[bitte] (stopp|stoppe) [bitte] {who} Yoto",
    "[bitte] (mach|schalte) [bitte] {who} Yoto aus",
    "[bitte] (stopp|stoppe) [bitte] [(den|die|das)] (Yoto|Geschichte) [(im|in|für|von|auf) {who}]",
  ],
  next: [
    "(nächste|nächstes|nächster) (Geschichte|Titel|Kapitel|Lied) auf {who} Yoto",
    "(nächste|nächstes|nächster) (Geschichte|Titel|Kapitel|Lied) auf [dem] Yoto [(im|in|für|von) {who}]",
    "(nächste|nächstes) (Geschichte|Kapitel) [(im|für|von) {who}]",
    "[bitte] (überspring|überspringe) [bitte] [(das|die|den)] [(Kapitel|Geschichte|Titel|Lied)] auf {who} Yoto",
    "[bitte] (überspring|überspringe) [bitte] {who} Yoto",
  ],
  previous: [
    "(vorherige|vorheriges|vorheriger|letzte|letztes|letzter) (Geschichte|Titel|Kapitel|Lied) auf {who} Yoto",
    "[bitte] [(ein|eine) (Kapitel|Titel|Lied|Geschichte)] zurück auf {who} Yoto",
  ],
  volume_up: [
    "[bitte] lauter auf {who} Yoto",
    "[bitte] (mach|dreh) [bitte] {who} Yoto lauter",
    "[bitte] (mach|dreh) [bitte] die Lautstärke (von|auf) {who} Yoto (lauter|hoch|rauf)",
  ],
  volume_down: [
    "[bitte] leiser auf {who} Yoto",
    "[bitte] (mach|dreh) [bitte] {who} Yoto leiser",
    "[bitte] (mach|dreh) [bitte] die Lautstärke (von|auf) {who} Yoto (leiser|runter)",
  ],
  volume_set: [
    "[bitte] (stelle|stell|setze|setz) [bitte] die Lautstärke (von|auf) {who} Yoto auf {level}",
    "Lautstärke (von|auf) {who} Yoto auf {level}",
  ],
  stop_all: ["[bitte] (stopp|stoppe) [bitte] alle Yotos", "[bitte] (mach|schalte) [bitte] alle Yotos aus"],
  whats_playing: [
    "was läuft [gerade] auf {who} Yoto",
    "was läuft [gerade] auf [dem] Yoto [(im|in|für|von) {who}]",
    "was hört {who} [gerade]",
    "was spielt {who} Yoto [gerade]",
  ],
  listened: ["wie (lange|viel) hat {who} heute [Yoto] gehört"],
  bedtime: [
    "wann ist {who} Schlafenszeit",
    "wann ist Schlafenszeit für {who}",
    "wann (muss|geht) {who} ins Bett",
    "wann geht {who} schlafen",
  ],
};
