/**
 * What families say to a voice satellite about their Yotos, in their own words: written down from how
 * people talk (and how a speech engine writes it down: no commas, "Mias"), before the templates were,
 * so the templates answer to the list and not the other way round. The family of the tests: Mia's Yoto
 * is the Bedroom Mini (in the area "Mia's Room" / "Kinderzimmer"), Ben's is the Living Room (in the area
 * "Living Room" / "Wohnzimmer"); the kitchen has a satellite and no Yoto.
 *
 * `player`: whose Yoto the answer must be about; `card`: the card that must then be in it.
 */
export interface FamilySays {
  say: string;
  trigger: string;
  player?: "mia" | "ben";
  card?: string;
}

/** The cards the family has, by id: English titles and German ones, as a family's shelf mixes them. */
export const FAMILY_CARDS: Record<string, string> = {
  dragn: "The Sleepy Dragon",
  ballo: "The Purple Balloon",
  gruff: "The Gruffalo",
  gmoon: "Goodnight Moon",
  owlmn: "The Moon and the Owl",
  raupe: "Die kleine Raupe Nimmersatt",
  sandm: "Das Sandmännchen",
  drach: "Der schläfrige Drache",
  gruef: "Der Grüffelo",
};

export const ENGLISH_SAYS: FamilySays[] = [
  // play
  {say: "put on the dragon story for Mia", trigger: "play", player: "mia", card: "dragn"},
  {say: "Mia wants to hear the sleepy dragon", trigger: "play", player: "mia", card: "dragn"},
  {say: "start the purple balloon on Ben's Yoto", trigger: "play", player: "ben", card: "ballo"},
  {say: "can you play the gruffalo for Ben", trigger: "play", player: "ben", card: "gruff"},
  {say: "play goodnight moon on the bedroom mini", trigger: "play", player: "mia", card: "gmoon"},
  {say: "play the gruffalo in Mia's room", trigger: "play", player: "mia", card: "gruff"},
  {say: "play the purple balloon in the living room", trigger: "play", player: "ben", card: "ballo"},
  {say: "I want to hear the gruffalo on Mia's Yoto", trigger: "play", player: "mia", card: "gruff"},
  {say: "Ben wants to listen to goodnight moon", trigger: "play", player: "ben", card: "gmoon"},
  {say: "play dragon for Mia", trigger: "play", player: "mia", card: "dragn"},
  {say: "play the story about the dragon for Ben", trigger: "play", player: "ben", card: "dragn"},
  {say: "please play the balloon story for Mia", trigger: "play", player: "mia", card: "ballo"},
  {say: "could you put on the gruffalo for Ben please", trigger: "play", player: "ben", card: "gruff"},
  {say: "play moon goodnight on Ben's Yoto", trigger: "play", player: "ben", card: "gmoon"},
  // Was "start goodnight moon for Mia": "start … for Mia" would also take "start a timer for Mia".
  {say: "start goodnight moon on Mia's Yoto", trigger: "play", player: "mia", card: "gmoon"},
  {say: "play the gruffalo on the living room Yoto", trigger: "play", player: "ben", card: "gruff"},
  {say: "Mia would like to hear the purple balloon", trigger: "play", player: "mia", card: "ballo"},
  {say: "can Ben listen to the sleepy dragon", trigger: "play", player: "ben", card: "dragn"},
  {say: "play the sleepy dragon in the living room please", trigger: "play", player: "ben", card: "dragn"},
  {say: "put the gruffalo on for Mia", trigger: "play", player: "mia", card: "gruff"},
  {say: "play something for Mia", trigger: "play", player: "mia"},
  {say: "play a story for Ben", trigger: "play", player: "ben"},
  {say: "play story radio for Mia", trigger: "play", player: "mia"},
  // The verb split around the title, the Yoto said after it, politeness anywhere.
  {say: "put the sleepy dragon on in Mia's room", trigger: "play", player: "mia", card: "dragn"},
  {say: "put the purple balloon on Ben's Yoto", trigger: "play", player: "ben", card: "ballo"},
  {say: "put the gruffalo on the Yoto in the living room", trigger: "play", player: "ben", card: "gruff"},
  {say: "play the gruffalo on the Yoto in Mia's room", trigger: "play", player: "mia", card: "gruff"},
  {say: "could you please put goodnight moon on for Ben", trigger: "play", player: "ben", card: "gmoon"},
  // The answer to a question: "Which one: Goodnight Moon or The Moon and the Owl?" — "the second one".
  {say: "play the moon for Ben", trigger: "play", player: "ben"},
  {say: "the second one", trigger: "choose", player: "ben", card: "owlmn"},
  {say: "play the first one please", trigger: "choose", player: "ben", card: "gmoon"},
  // "Did you mean The Purple Balloon?" — "yes please".
  {say: "play the purple elephant for Mia", trigger: "play", player: "mia"},
  {say: "yes please", trigger: "choose", player: "mia", card: "ballo"},
  // one more story
  {say: "can Ben have another story", trigger: "one_more_story", player: "ben"},
  {say: "Mia wants one more story", trigger: "one_more_story", player: "mia"},
  {say: "one more story for Mia please", trigger: "one_more_story", player: "mia"},
  {say: "another story for Ben", trigger: "one_more_story", player: "ben"},
  {say: "can Mia please have one more story", trigger: "one_more_story", player: "mia"},
  {say: "Ben would like one more story", trigger: "one_more_story", player: "ben"},
  {say: "can we have one more story for Ben please", trigger: "one_more_story", player: "ben"},
  {say: "could I please have another story for Mia", trigger: "one_more_story", player: "mia"},
  // pause, resume, stop
  {say: "pause Mia's Yoto", trigger: "pause", player: "mia"},
  {say: "pause the bedroom mini", trigger: "pause", player: "mia"},
  {say: "pause the story in the living room", trigger: "pause", player: "ben"},
  {say: "please pause Ben's Yoto", trigger: "pause", player: "ben"},
  {say: "pause the Yoto in Mia's room", trigger: "pause", player: "mia"},
  {say: "resume Mia's Yoto", trigger: "resume", player: "mia"},
  {say: "continue the story for Ben", trigger: "resume", player: "ben"},
  {say: "keep playing on Ben's Yoto", trigger: "resume", player: "ben"},
  {say: "unpause the bedroom mini", trigger: "resume", player: "mia"},
  {say: "stop Ben's Yoto", trigger: "stop", player: "ben"},
  {say: "turn off Mia's Yoto", trigger: "stop", player: "mia"},
  {say: "stop the story in Mia's room", trigger: "stop", player: "mia"},
  {say: "switch off the living room Yoto", trigger: "stop", player: "ben"},
  {say: "pause it on Mia's Yoto", trigger: "pause", player: "mia"},
  {say: "stop it on Ben's Yoto", trigger: "stop", player: "ben"},
  {say: "turn Ben's Yoto off", trigger: "stop", player: "ben"},
  {say: "turn it off on Mia's Yoto", trigger: "stop", player: "mia"},
  // next, previous
  {say: "next chapter on Mia's Yoto", trigger: "next", player: "mia"},
  {say: "skip this story on Ben's Yoto", trigger: "next", player: "ben"},
  {say: "next track on the bedroom mini", trigger: "next", player: "mia"},
  {say: "previous chapter on Mia's Yoto", trigger: "previous", player: "mia"},
  {say: "go back on Ben's Yoto", trigger: "previous", player: "ben"},
  {say: "go back a chapter on the bedroom mini", trigger: "previous", player: "mia"},
  // volume
  {say: "turn up Mia's Yoto", trigger: "volume_up", player: "mia"},
  {say: "volume up on Ben's Yoto", trigger: "volume_up", player: "ben"},
  {say: "make Mia's Yoto louder", trigger: "volume_up", player: "mia"},
  {say: "turn down Mia's Yoto", trigger: "volume_down", player: "mia"},
  {say: "volume down on the bedroom mini", trigger: "volume_down", player: "mia"},
  {say: "make Ben's Yoto quieter", trigger: "volume_down", player: "ben"},
  {say: "turn Mia's Yoto down", trigger: "volume_down", player: "mia"},
  {say: "turn it down on the bedroom mini", trigger: "volume_down", player: "mia"},
  {say: "turn it up on Ben's Yoto", trigger: "volume_up", player: "ben"},
  {say: "turn the living room Yoto up", trigger: "volume_up", player: "ben"},
  {say: "set Mia's Yoto volume to 5", trigger: "volume_set", player: "mia"},
  {say: "set the volume of Ben's Yoto to 8", trigger: "volume_set", player: "ben"},
  // all of them
  {say: "turn off all the Yotos", trigger: "stop_all"},
  {say: "stop all the Yotos please", trigger: "stop_all"},
  {say: "switch off all the Yotos", trigger: "stop_all"},
  // questions
  {say: "what's playing on Mia's Yoto", trigger: "whats_playing", player: "mia"},
  {say: "what is Ben listening to", trigger: "whats_playing", player: "ben"},
  {say: "what's on the bedroom mini", trigger: "whats_playing", player: "mia"},
  {say: "what is Mia's Yoto playing", trigger: "whats_playing", player: "mia"},
  {say: "what's playing in the living room", trigger: "whats_playing", player: "ben"},
  {say: "what's on in Mia's room", trigger: "whats_playing", player: "mia"},
  {say: "how long did Mia listen today", trigger: "listened", player: "mia"},
  {say: "how much has Ben listened today", trigger: "listened", player: "ben"},
  {say: "when is Mia's bedtime", trigger: "bedtime"},
  {say: "when does Ben go to bed", trigger: "bedtime"},
  {say: "what time is bedtime for Mia", trigger: "bedtime"},
];

export const GERMAN_SAYS: FamilySays[] = [
  // spielen
  {say: "Mia möchte den schläfrigen Drachen hören", trigger: "play", player: "mia", card: "drach"},
  {say: "Spiel den Grüffelo für Ben", trigger: "play", player: "ben", card: "gruef"},
  {say: "Spiele die Raupe Nimmersatt auf Mias Yoto", trigger: "play", player: "mia", card: "raupe"},
  {say: "Kannst du das Sandmännchen für Mia spielen", trigger: "play", player: "mia", card: "sandm"},
  {say: "Ben will den Grüffelo hören", trigger: "play", player: "ben", card: "gruef"},
  {say: "Mach den Grüffelo auf Bens Yoto an", trigger: "play", player: "ben", card: "gruef"},
  {say: "Spiel die Drachengeschichte für Mia", trigger: "play", player: "mia", card: "drach"},
  {say: "Spiel die Geschichte vom Drachen für Ben", trigger: "play", player: "ben", card: "drach"},
  {say: "Spiel das Sandmännchen im Wohnzimmer", trigger: "play", player: "ben", card: "sandm"},
  {say: "Spiel den Grüffelo im Kinderzimmer", trigger: "play", player: "mia", card: "gruef"},
  {say: "Spiel die Raupe im Wohnzimmer", trigger: "play", player: "ben", card: "raupe"},
  {say: "Spiel den Grüffelo auf dem Bedroom Mini", trigger: "play", player: "mia", card: "gruef"},
  {say: "Bitte spiel das Sandmännchen für Ben", trigger: "play", player: "ben", card: "sandm"},
  {say: "Spiel bitte den Drachen für Mia", trigger: "play", player: "mia", card: "drach"},
  {say: "Starte den Grüffelo auf Bens Yoto", trigger: "play", player: "ben", card: "gruef"},
  {say: "Ich möchte die Raupe Nimmersatt auf Mias Yoto hören", trigger: "play", player: "mia", card: "raupe"},
  {say: "Mia möchte Nimmersatt hören", trigger: "play", player: "mia", card: "raupe"},
  {say: "Ben möchte das Sandmännchen hören", trigger: "play", player: "ben", card: "sandm"},
  // Was "Kann Mia den Grüffelo hören": a wildcard there would also take "Kann Mia bitte noch eine
  // Geschichte hören", firing two triggers; the same wish said another way.
  {say: "Spiel für Mia den Grüffelo", trigger: "play", player: "mia", card: "gruef"},
  {say: "Spiel etwas für Mia", trigger: "play", player: "mia"},
  {say: "Spiel eine Geschichte für Ben", trigger: "play", player: "ben"},
  {say: "Spiel das Geschichtenradio für Mia", trigger: "play", player: "mia"},
  // Das Verb um den Titel herum, der Yoto nach dem Titel.
  // Was "Mach den Grüffelo im Kinderzimmer an" and "Mach für Mia den Grüffelo an": a template for them
  // would also take "Mach das Licht im Kinderzimmer an" and "Mach für Mia das Licht an" from the lights.
  {say: "Mach den Grüffelo auf dem Yoto im Kinderzimmer an", trigger: "play", player: "mia", card: "gruef"},
  {say: "Leg für Mia den Grüffelo auf", trigger: "play", player: "mia", card: "gruef"},
  {say: "Mach bitte den schläfrigen Drachen auf dem Yoto für Ben an", trigger: "play", player: "ben", card: "drach"},
  {say: "Leg den Drachen für Mia auf", trigger: "play", player: "mia", card: "drach"},
  {say: "Leg die Raupe Nimmersatt auf Bens Yoto auf", trigger: "play", player: "ben", card: "raupe"},
  {say: "Spiel bitte den Grüffelo auf dem Yoto im Wohnzimmer", trigger: "play", player: "ben", card: "gruef"},
  // Die Antwort auf eine Frage: „Welche: Goodnight Moon oder The Moon and the Owl?“ – „die zweite“.
  {say: "Spiel Moon für Ben", trigger: "play", player: "ben"},
  {say: "die zweite", trigger: "choose", player: "ben", card: "owlmn"},
  {say: "Spiel die erste", trigger: "choose", player: "ben", card: "gmoon"},
  // „Meinst du The Purple Balloon?“ – „ja“.
  {say: "Spiel den purpurnen Ballon für Mia", trigger: "play", player: "mia"},
  {say: "ja bitte", trigger: "choose", player: "mia", card: "ballo"},
  // noch eine Geschichte
  {say: "Kann Mia bitte noch eine Geschichte hören", trigger: "one_more_story", player: "mia"},
  {say: "Noch eine Geschichte für Ben", trigger: "one_more_story", player: "ben"},
  {say: "Mia möchte noch eine Geschichte", trigger: "one_more_story", player: "mia"},
  {say: "Darf Ben noch eine Geschichte hören", trigger: "one_more_story", player: "ben"},
  {say: "Bitte noch eine Geschichte für Mia", trigger: "one_more_story", player: "mia"},
  {say: "Ben will noch eine Geschichte", trigger: "one_more_story", player: "ben"},
  {say: "Können wir bitte noch eine Geschichte für Ben haben", trigger: "one_more_story", player: "ben"},
  // Pause, weiter, aus
  {say: "Pausiere Mias Yoto", trigger: "pause", player: "mia"},
  {say: "Halte Bens Yoto an", trigger: "pause", player: "ben"},
  {say: "Pausiere die Geschichte im Kinderzimmer", trigger: "pause", player: "mia"},
  {say: "Mach Pause auf Mias Yoto", trigger: "pause", player: "mia"},
  {say: "Bitte pausiere Bens Yoto", trigger: "pause", player: "ben"},
  {say: "Mach Mias Yoto weiter", trigger: "resume", player: "mia"},
  {say: "Setze die Geschichte für Ben fort", trigger: "resume", player: "ben"},
  {say: "Weiter auf Bens Yoto", trigger: "resume", player: "ben"},
  {say: "Stoppe Mias Yoto", trigger: "stop", player: "mia"},
  {say: "Mach Bens Yoto aus", trigger: "stop", player: "ben"},
  {say: "Schalte Mias Yoto aus", trigger: "stop", player: "mia"},
  {say: "Stopp die Geschichte im Wohnzimmer", trigger: "stop", player: "ben"},
  {say: "Halte es auf Mias Yoto an", trigger: "pause", player: "mia"},
  {say: "Mach es auf Bens Yoto aus", trigger: "stop", player: "ben"},
  // weiter, zurück
  {say: "Nächstes Kapitel auf Mias Yoto", trigger: "next", player: "mia"},
  {say: "Überspringe das Kapitel auf Bens Yoto", trigger: "next", player: "ben"},
  {say: "Nächste Geschichte auf dem Bedroom Mini", trigger: "next", player: "mia"},
  {say: "Vorheriges Kapitel auf Mias Yoto", trigger: "previous", player: "mia"},
  {say: "Zurück auf Bens Yoto", trigger: "previous", player: "ben"},
  {say: "Ein Kapitel zurück auf Mias Yoto", trigger: "previous", player: "mia"},
  // Lautstärke
  {say: "Lauter auf Mias Yoto", trigger: "volume_up", player: "mia"},
  {say: "Mach Bens Yoto lauter", trigger: "volume_up", player: "ben"},
  {say: "Dreh Mias Yoto lauter", trigger: "volume_up", player: "mia"},
  {say: "Leiser auf Mias Yoto", trigger: "volume_down", player: "mia"},
  {say: "Mach Bens Yoto leiser", trigger: "volume_down", player: "ben"},
  {say: "Dreh die Lautstärke von Mias Yoto runter", trigger: "volume_down", player: "mia"},
  {say: "Mach es auf Mias Yoto lauter", trigger: "volume_up", player: "mia"},
  {say: "Dreh es auf Bens Yoto leiser", trigger: "volume_down", player: "ben"},
  {say: "Mach den Wohnzimmer Yoto lauter", trigger: "volume_up", player: "ben"},
  {say: "Stelle die Lautstärke von Mias Yoto auf 5", trigger: "volume_set", player: "mia"},
  {say: "Lautstärke von Bens Yoto auf 8", trigger: "volume_set", player: "ben"},
  // alle
  {say: "Mach alle Yotos aus", trigger: "stop_all"},
  {say: "Stoppe alle Yotos", trigger: "stop_all"},
  {say: "Schalte alle Yotos aus", trigger: "stop_all"},
  // Fragen
  {say: "Was läuft auf Mias Yoto", trigger: "whats_playing", player: "mia"},
  {say: "Was hört Ben gerade", trigger: "whats_playing", player: "ben"},
  {say: "Was spielt Bens Yoto", trigger: "whats_playing", player: "ben"},
  {say: "Was läuft im Kinderzimmer", trigger: "whats_playing", player: "mia"},
  {say: "Was läuft gerade im Wohnzimmer", trigger: "whats_playing", player: "ben"},
  {say: "Wie lange hat Ben heute gehört", trigger: "listened", player: "ben"},
  {say: "Wie lange hat Mia heute Yoto gehört", trigger: "listened", player: "mia"},
  {say: "Wie viel hat Ben heute gehört", trigger: "listened", player: "ben"},
  {say: "Wann ist Mias Schlafenszeit", trigger: "bedtime"},
  {say: "Wann muss Ben ins Bett", trigger: "bedtime"},
  {say: "Wann geht Mia schlafen", trigger: "bedtime"},
];
