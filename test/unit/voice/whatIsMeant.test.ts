import {describe, expect, it} from "vitest";
import {type CatalogueEntry, MAX_CHOICES} from "../../../src/playing/types.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {whatIsMeant} from "../../../src/voice/whatIsMeant.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

const CHOICES: CatalogueEntry[] = [
  {kind: "card", id: "dragn", title: "The Sleepy Dragon"},
  {kind: "card", id: "ballo", title: "The Purple Balloon"},
  {kind: "group", id: "g1", title: "Bedtime"},
  {kind: "group", id: "g2", title: "Gute Nacht"},
  {kind: "story", id: "moonfox", title: "Moon Fox"},
  {kind: "station", id: "tone-fm", title: "tone fm"},
  {kind: "podcast", id: "tales", title: "Tales for Tiny Ears"},
  {kind: "item", id: "i1", title: "Moon Fox"},
  {kind: "card", id: "mias1", title: "Mia's Song"},
  {kind: "card", id: "ferdi", title: "The Story of Ferdinand"},
  {kind: "card", id: "sleep", title: "One More Sleep"},
  {kind: "card", id: "rexxx", title: "Radio Rex"},
];
const meant = (heard: string | undefined, lang = english) => {
  const m = whatIsMeant(heard, lang, CHOICES);
  if (m.kind === "play") return `${m.choice.kind} ${m.choice.id}`;
  if (m.kind === "not_found") return `not found '${m.what}'${m.closest ? `, closest ${m.closest.title}` : ""}`;
  return m.kind;
};

describe("what a voice request asks to play", () => {
  it("finds a title said without its article, in any case, and prefers a card to anything of the same name", () => {
    expect(meant("the sleepy dragon")).toBe("card dragn");
    expect(meant("Sleepy Dragon")).toBe("card dragn");
    expect(meant("sleepy dragons")).toBe("card dragn");
    expect(meant("mias song")).toBe("card mias1");
    expect(meant("moon fox")).toBe("story moonfox");
    expect(meant("tone fm")).toBe("station tone-fm");
  });

  it("reads a kind said first, and a group asked for with 'a'", () => {
    expect(meant("the podcast tales for tiny ears")).toBe("podcast tales");
    expect(meant("the story moon fox")).toBe("story moonfox");
    expect(meant("the radio tone fm")).toBe("station tone-fm");
    expect(meant("a bedtime story")).toBe("group g1");
    expect(meant("eine Gute Nacht Geschichte", german)).toBe("group g2");
    expect(meant("eine Gutenachtgeschichte", german)).toBe("group g2");
  });

  it("offers a near title back, never plays it, and says when nothing is near", () => {
    expect(meant("purple elephant")).toBe("not found 'purple elephant', closest The Purple Balloon");
    expect(meant("zebra crossing")).toBe("not found 'zebra crossing'");
  });

  it("takes a whole title first, even one that starts like a kind or like 'one more'", () => {
    expect(meant("the story of ferdinand")).toBe("card ferdi");
    expect(meant("one more sleep")).toBe("card sleep");
    expect(meant("radio rex")).toBe("card rexxx");
    // A kind said first and nothing of that kind close enough: every title is looked at.
    expect(meant("the story the sleepy dragon")).toBe("card dragn");
  });

  it("takes a word as said before one a letter off: 'Gruffalo' is The Gruffalo, not Der Grüffelo", () => {
    const both: CatalogueEntry[] = [
      {kind: "card", id: "gruef", title: "Der Grüffelo"},
      {kind: "card", id: "gruff", title: "The Gruffalo"},
    ];
    const id = (heard: string, lang = german) => {
      const m = whatIsMeant(heard, lang, both);
      return m.kind === "play" ? m.choice.id : m.kind;
    };
    expect(id("Gruffalo")).toBe("gruff");
    expect(id("meine Gruffalo-Playlist")).toBe("gruff");
    expect(id("den Grüffelo")).toBe("gruef");
    expect(id("the gruffalo", english)).toBe("gruff");
    // A letter off both: the title it covers more of ("the" is a word of The Gruffalo in German).
    expect(id("Gruffilo")).toBe("gruef");
  });

  it("reads 'the dragon one' as the one with dragon in it, a whole title first", () => {
    expect(meant("the dragon one")).toBe("card dragn");
    expect(meant("that purple one")).toBe("card ballo");
    expect(meant("the ferdinand one")).toBe("card ferdi");
    // "The other one", "the new one" say which, not a title's word.
    expect(meant("the other one")).not.toBe("card dragn");
    expect(meant("the new one")).toMatch(/^(not found|nothing_said)/);
    // "The next one" is still the next; "the last one" a place in the list offered.
    expect(meant("the next one")).toBe("command");
    expect(meant("the last one")).toBe("ordinal");
  });

  it("hears 'one more story' said as a title, and nothing said as nothing", () => {
    expect(meant("one more story")).toBe("one_more_story");
    expect(meant("noch eine Geschichte", german)).toBe("one_more_story");
    expect(meant("one more")).toBe("one_more_story");
    expect(meant("noch eine", german)).toBe("one_more_story");
    // Only said whole: a title that starts so is that title, or nothing.
    expect(meant("one more sleep")).toBe("card sleep");
    expect(meant("one more dragon")).not.toBe("one_more_story");
    expect(meant("")).toBe("nothing_said");
    expect(meant(undefined)).toBe("nothing_said");
    expect(meant("the")).toBe("nothing_said");
    expect(meant("'\"{{ }}'")).toBe("nothing_said");
  });

  it("compares only so much: 2,000 characters, other scripts and a library past its cap", () => {
    expect(meant("sleepy dragon ".repeat(150))).toMatch(/^not found 'sleepy dragon sleepy dragon/);
    expect(meant("睡龙")).toBe("not found '睡龙'");
    // An answer quoting what was heard never ends in half an emoji.
    const said = whatIsMeant(`xy${"😀".repeat(40)}`, english, CHOICES);
    expect(said.kind === "not_found" && said.what).toBe(`xy${"😀".repeat(28)}…`);
    const many: CatalogueEntry[] = Array.from({length: MAX_CHOICES + 10}, (_, i) => ({
      kind: "item",
      id: `i${i}`,
      title: `Track ${i}`,
    }));
    many.push({kind: "card", id: "last1", title: "Beyond the Cap"});
    expect(whatIsMeant("beyond the cap", english, many)).toMatchObject({kind: "not_found"});
    expect(whatIsMeant("track 7", english, many)).toMatchObject({kind: "play", choice: {id: "i7"}});
  });

  it("takes a title's meaningful words in any order, with its endings, a kind word as a hint and never as the title", () => {
    expect(meant("dragon")).toBe("card dragn");
    expect(meant("the dragon story")).toBe("card dragn");
    expect(meant("the story about the dragon")).toBe("card dragn");
    expect(meant("dragon sleepy")).toBe("card dragn");
    expect(meant("the balloon")).toBe("card ballo");
    expect(meant("ferdinand")).toBe("card ferdi");
    expect(meant("tiny ears")).toBe("podcast tales");
  });

  it("prefers what a family plays over the parts inside it, and names two or three alike to choose from", () => {
    const family: CatalogueEntry[] = [
      {kind: "story", id: "sleepy", title: "The Sleepy Dragon"},
      {kind: "stream", id: "dragon-lullaby", title: "dragon lullaby", partOf: "The Sleepy Dragon"},
      {kind: "item", id: "scene1", title: "Dragon Cave", partOf: "The Sleepy Dragon"},
      {kind: "card", id: "moon1", title: "Goodnight Moon"},
      {kind: "card", id: "moon2", title: "Moon Fox"},
      {kind: "card", id: "moon3", title: "The Moon and the Owl"},
      {kind: "card", id: "moon4", title: "Blue Moon Songs"},
    ];
    const m = (heard: string) => whatIsMeant(heard, english, family);
    expect(m("the dragon story")).toMatchObject({kind: "play", choice: {id: "sleepy"}});
    expect(m("dragon")).toMatchObject({kind: "play", choice: {id: "sleepy"}});
    // A part is still played by its whole title.
    expect(m("dragon lullaby")).toMatchObject({kind: "play", choice: {id: "dragon-lullaby"}});
    const moon = m("moon");
    expect(moon.kind).toBe("choose");
    expect(moon.kind === "choose" && moon.options.map((o) => o.title)).toEqual([
      "Goodnight Moon",
      "Moon Fox",
      "The Moon and the Owl",
    ]);
    expect(m("owl moon")).toMatchObject({kind: "play", choice: {id: "moon3"}});
  });

  it("hears a place in the list offered, and 'something' as a pick from the shelf", () => {
    expect(meant("the second one")).toBe("ordinal");
    expect(whatIsMeant("the second one", english, CHOICES)).toEqual({kind: "ordinal", index: 1});
    expect(whatIsMeant("the last one", english, CHOICES)).toEqual({kind: "ordinal", index: -1});
    expect(whatIsMeant("die zweite", german, CHOICES)).toEqual({kind: "ordinal", index: 1});
    expect(meant("something")).toBe("something");
    expect(meant("a story please")).toBe("something");
    expect(meant("etwas", german)).toBe("something");
    expect(meant("eine Geschichte", german)).toBe("something");
  });

  it("reads German as it is said: endings, joined words and 'vom'", () => {
    const german_: CatalogueEntry[] = [
      {kind: "card", id: "drach", title: "Der schläfrige Drache"},
      {kind: "card", id: "raupe", title: "Die kleine Raupe Nimmersatt"},
      {kind: "card", id: "gruef", title: "Der Grüffelo"},
    ];
    const m = (heard: string) => whatIsMeant(heard, german, german_);
    expect(m("den schläfrigen Drachen")).toMatchObject({kind: "play", choice: {id: "drach"}});
    expect(m("die Drachengeschichte")).toMatchObject({kind: "play", choice: {id: "drach"}});
    expect(m("die Geschichte vom Drachen")).toMatchObject({kind: "play", choice: {id: "drach"}});
    expect(m("Nimmersatt")).toMatchObject({kind: "play", choice: {id: "raupe"}});
    expect(m("bitte den Grüffelo")).toMatchObject({kind: "play", choice: {id: "gruef"}});
  });

  it("matches by words in time linear in the titles", () => {
    const titles = (n: number): CatalogueEntry[] =>
      Array.from({length: n}, (_, i) => ({
        kind: "card",
        id: `c${i}`,
        title: `The ${i % 7 ? "Moon" : "Dragon"} Song ${i}`,
      }));
    const found = readsInLinearTime(titles, (all) => whatIsMeant("dragon song 4998", english, all), 5000);
    expect(found).toMatchObject({kind: "play", choice: {id: "c4998"}});
  });

  it("never takes another word a letter away for the one said, and reads numbers, umlauts and signs as said", () => {
    const shelf: CatalogueEntry[] = [
      "Little House on the Prairie",
      "Ball",
      "The Bear",
      "Frozen 2",
      "The 3 Little Pigs",
      "The Gruffalo",
    ].map((title, i) => ({kind: "card", id: `e${i}`, title}));
    const m = (heard: string, lang = english, all = shelf) => {
      const said = whatIsMeant(heard, lang, all);
      return said.kind === "play"
        ? said.choice.title
        : said.kind === "not_found"
          ? `not found${said.closest ? `, closest ${said.closest.title}` : ""}`
          : said.kind;
    };
    expect(m("the mouse")).toBe("not found");
    expect(m("ballet")).toBe("not found, closest Ball");
    expect(m("beard")).toBe("not found, closest The Bear");
    expect(m("frozen two")).toBe("Frozen 2");
    expect(m("the three little pigs")).toBe("The 3 Little Pigs");
    expect(m("grufallo")).toBe("The Gruffalo");
    expect(m("it")).toBe("nothing_said");
    const regal: CatalogueEntry[] = [
      "Der kleine Bär",
      "Die kleine Maus",
      "Der Fuchs",
      "Es war einmal",
      "Die drei ??? Kids",
    ].map((title, i) => ({kind: "card", id: `d${i}`, title}));
    expect(m("den kleinen Bären", german, regal)).toBe("Der kleine Bär");
    expect(m("die kleinen Mäuse", german, regal)).toBe("Die kleine Maus");
    expect(m("die Füchse", german, regal)).toBe("Der Fuchs");
    expect(m("die drei Fragezeichen Kids", german, regal)).toBe("Die drei ??? Kids");
    expect(m("es", german, regal)).toBe("nothing_said");
    // A kind word joined on is no part of the letters compared: no story radio offered for a dragon story.
    const radio: CatalogueEntry[] = [{kind: "stream", id: "story-radio-mia", title: "Geschichtenradio"}];
    expect(m("die Drachengeschichte", german, radio)).toBe("not found");
  });
});
