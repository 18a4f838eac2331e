#!/usr/bin/env node
// Writes src/pictures/drawings.ts: the drawings a shelf item with no picture of its own is shown
// as, taken from Material Design Icons (@mdi/js, a devDependency, so the service reads none of it
// at run time), each with the English and German words a title may name it by. Run it again after
// changing the list; `node scripts/make-drawings.mjs <file>` writes elsewhere (the test compares).
import {readFileSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import path from "node:path";
import {fileURLToPath} from "node:url";
import * as mdi from "@mdi/js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
/** Every icon by its export's name: a name from the list below is looked up, never used to reach into the module. */
const ICONS = new Map(Object.entries(mdi));

/**
 * `Icon[=name]: words`. The icon is @mdi/js's export without `mdi`; the name (kebab-case of the icon
 * unless given) is the drawing's in URLs; the words are lower case and singular, as a title has
 * them: its plurals and umlauts are matched when a title is read. A word names one drawing only:
 * words that mean something else in the other language ("wand", "bad", "kind", "karte", "die") are
 * left out. radio-tower is story radio's own and has no words.
 */
const CHOSEN = [
  "Owl: owl eule uhu",
  "Rabbit: rabbit bunny hare hase kaninchen häschen",
  "Cat: cat kitten kitty katze kater kätzchen mieze",
  "Dog: dog puppy doggy hund welpe hündchen",
  "Horse: horse pony pferd pferdchen",
  "Unicorn: unicorn einhorn",
  "Bee: bee bumblebee biene hummel",
  "Butterfly: butterfly schmetterling falter",
  "Ladybug: ladybug ladybird marienkäfer",
  "Penguin: penguin pinguin",
  "Panda: panda",
  "Koala: koala",
  "Duck: duck duckling ente entchen",
  "Tortoise: tortoise schildkröte",
  "Snail: snail slug schnecke",
  "Sheep: sheep lamb schaf lamm",
  "Cow: cow calf bull kuh kalb stier",
  "Pig: pig piglet schwein ferkel schweinchen",
  "Elephant: elephant elefant",
  "Kangaroo: kangaroo känguru",
  "Jellyfish: jellyfish qualle",
  "Shark: shark hai",
  "Dolphin: dolphin delfin delphin",
  "Fish: fish goldfish fisch goldfisch",
  "Bird: bird sparrow robin vogel spatz rotkehlchen",
  "GoogleDownasaur=dinosaur: dinosaur dino dragon rex trex drache dinosaurier saurier",
  "Snake: snake schlange",
  "Spider: spider spinne",
  "Bug: bug beetle insect käfer insekt",
  "Turtle: turtle meeresschildkröte",
  "Rodent=mouse: mouse rat hamster maus ratte mäuschen",
  "TeddyBear: bear teddy bär baer teddybär teddybaer",
  "Feather: feather feder",
  "Paw: paw pfote tatze",
  "Bat: bat fledermaus",
  "Donkey: donkey esel",
  "Seal: seal robbe seehund",
  "Turkey: turkey truthahn pute",
  "Bone: bone knochen skeleton skelett",
  "Ghost: ghost spook gespenst geist spuk",
  "Alien: alien martian",
  "Robot: robot roboter",
  "Rocket: rocket space astronaut rakete weltraum weltall",
  "Castle: castle palace burg schloss palast",
  "Crown: crown king queen prince princess krone könig königin prinz prinzessin",
  "Pirate: pirate pirat seeräuber",
  "SwordCross=swords: sword knight schwert ritter",
  "Shield: shield schild",
  "MagicStaff=magic: magic zauber zauberstab",
  "WizardHat=wizard: wizard witch magician sorcerer zauberer hexe",
  "Ufo: ufo",
  "Tree: tree forest woods baum wald",
  "PineTree: pine fir tanne tannenbaum fichte",
  "PineTreeVariant=christmas-tree: christmas xmas weihnachten weihnacht christkind",
  "Flower: flower blossom rose blume blüte",
  "FlowerTulip=tulip: tulip tulpe",
  "Leaf: leaf autumn blatt herbst",
  "Mushroom: mushroom toadstool pilz fliegenpilz",
  "Cactus: cactus kaktus",
  "Sprout: sprout seed plant garden samen keim pflanze garten",
  "Clover: clover luck klee glück",
  "Car: car auto wagen",
  "Bus: bus",
  "Train: train railway locomotive zug eisenbahn lok lokomotive",
  "Airplane: airplane plane aeroplane jet flugzeug",
  "SailBoat=boat: boat ship sail sailboat boot schiff segel segelboot",
  "Tractor: tractor traktor trecker",
  "Bicycle: bicycle bike cycle fahrrad",
  "Motorbike: motorbike motorcycle motorrad",
  "Helicopter: helicopter hubschrauber helikopter",
  "Fire: fire flame feuer flamme",
  "FireTruck: firetruck fireman firefighter feuerwehr feuerwehrmann feuerwehrauto",
  "Ambulance: ambulance doctor nurse krankenwagen arzt ärztin doktor",
  "Submarine: submarine uboot",
  "Excavator: excavator digger bagger",
  "Taxi: taxi",
  "Truck: truck lorry lastwagen laster lkw",
  "Scooter: scooter roller",
  "FerrisWheel: ferris funfair fair riesenrad jahrmarkt",
  "MusicNote=music: music song melody tune musik lied melodie",
  "GuitarAcoustic=guitar: guitar gitarre",
  "Piano: piano klavier flügel",
  "Trumpet: trumpet horn trompete",
  "Violin: violin fiddle geige violine",
  "Saxophone: saxophone jazz saxofon saxophon",
  "Microphone: microphone singer karaoke mikrofon sänger sängerin",
  "Headphones: headphone kopfhörer",
  "BookOpen=book: book story tale buch geschichte märchen",
  "Bed: bed bedtime sleep bett schlaf schlafenszeit",
  "MoonWaningCrescent=moon: moon crescent mond halbmond",
  "WeatherNight=night: night goodnight lullaby nacht gutenacht schlaflied wiegenlied",
  "Star: star twinkle stern sternchen",
  "WeatherSunny=sun: sun sunny sunshine summer sonne sonnenschein sommer",
  "Cloud: cloud wolke",
  "WeatherRainy=rain: rain rainy regen",
  "WeatherLightning=storm: storm thunder lightning sturm donner blitz gewitter",
  "WeatherWindy=wind: wind windy windig",
  "Umbrella: umbrella regenschirm schirm",
  "Snowflake: snowflake snow winter schnee schneeflocke",
  "Snowman: snowman schneemann",
  "Balloon: balloon ballon luftballon",
  "Cake: cake birthday kuchen torte geburtstag",
  "Candy: candy sweet lolly bonbon süßigkeit",
  "IceCream: icecream ice gelato eis",
  "Cookie: cookie biscuit keks plätzchen",
  "Apple: apple apfel",
  "Carrot: carrot karotte möhre rübe",
  "Pizza: pizza",
  "Cupcake: cupcake muffin",
  "FoodCroissant=croissant: croissant breakfast hörnchen frühstück",
  "BreadSlice=bread: bread toast sandwich brot",
  "Cheese: cheese käse",
  "FruitCherries=cherry: cherry kirsche",
  "FruitWatermelon=melon: melon watermelon melone wassermelone",
  "FruitPineapple=pineapple: pineapple ananas",
  "FruitPear=pear: pear birne",
  "Popcorn: popcorn cinema movie kino film",
  "Gift: gift present surprise geschenk überraschung",
  "PartyPopper=party: party celebration hooray fest feier hurra",
  "Heart: heart love friend friendship herz liebe freund freundin freundschaft",
  "Home: home house haus zuhause heim",
  "Key: key secret schlüssel geheimnis",
  "Anchor: anchor sailor harbour harbor anker matrose hafen",
  "Compass: compass adventure explorer kompass abenteuer entdecker",
  "Map: map atlas landkarte",
  "TreasureChest=treasure: treasure chest schatz truhe schatzkiste schatztruhe",
  "Glasses: glasses brille",
  "Flashlight: flashlight torch taschenlampe",
  "Lamp: lamp light lantern lampe licht laterne",
  "Lighthouse: lighthouse leuchtturm",
  "Island: island insel",
  "Beach: beach sea ocean seaside holiday strand meer ozean urlaub",
  "Waves: wave surf welle",
  "Volcano: volcano vulkan",
  "Terrain=mountain: mountain hill berg hügel gebirge",
  "Earth: earth world globe planet erde welt globus",
  "Telescope: telescope teleskop fernrohr",
  "Atom: atom science scientist experiment wissenschaft forscher",
  "Puzzle: puzzle riddle quiz rätsel",
  "Kite: kite flugdrache",
  "Soccer: soccer football ball fußball",
  "Basketball: basketball korbball",
  "Medal: medal winner medaille gewinner sieger",
  "Trophy: trophy champion pokal meister",
  "Palette: palette paint colour color art rainbow farbe kunst regenbogen",
  "Pencil: pencil drawing school stift bleistift schule",
  "Clock: clock time uhr zeit",
  "Bell: bell jingle glocke glöckchen",
  "Candle: candle advent kerze",
  "Phone: phone telephone telefon handy",
  "Cup: cup mug cocoa tea tasse becher kakao tee",
  "Baby: baby",
  "Egg: egg easter ei ostern osterei",
  "Pumpkin: pumpkin halloween kürbis",
  "StringLights: lichterkette garland girlande",
  "Whistle: whistle referee pfeife trillerpfeife schiedsrichter",
  "Tent: tent camping zelt",
  "Campfire: campfire bonfire lagerfeuer",
  "Camera: camera photo kamera foto",
  "Tooth: tooth dentist zahn zahnarzt zahnfee",
  "Bridge: bridge brücke",
  "Magnify=detective: detective spy mystery detektiv spion lupe",
  "Lightbulb=idea: idea lightbulb invention inventor idee erfinder glühbirne",
  "Diamond: diamond jewel gem diamant juwel edelstein",
  "Ring: ring",
  "PiggyBank: money coin piggybank geld münze sparschwein",
  "Broom: broom besen",
  "StarShooting=shooting-star: wish comet wunsch komet sternschnuppe",
  "HandWave=hello: hello goodbye hallo tschüss",
  "EmoticonHappy=happy: happy smile joy laugh fun glücklich fröhlich freude lachen spaß",
  "ChefHat: chef cook kitchen baker koch küche bäcker",
  "Hiking: hike hiking walk wandern wanderung spaziergang",
  "Firework: firework feuerwerk silvester",
  "RadioTower:",
];

const KEBAB = /(?<=[a-z0-9])(?=[A-Z])/g;
const NAME = /^[a-z]+(-[a-z]+)*$/;
const WORD = /^[a-z0-9äöüß]+$/;
/** How a title's words are compared: umlauts folded (the service folds them the same way). */
const fold = (word) => word.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");

function drawings() {
  const names = new Set();
  const words = new Map();
  return CHOSEN.map((line) => {
    const [head, list] = line.split(":");
    const [icon, given] = head.split("=");
    const path = ICONS.get(`mdi${icon}`);
    if (typeof path !== "string") throw new Error(`@mdi/js has no icon ${icon} (mdi${icon})`);
    const name = given ?? icon.replace(KEBAB, "-").toLowerCase();
    if (!NAME.test(name) || name.length > 24)
      throw new Error(`${icon}: the name ${name} is not kebab-case [a-z-], 24 at most`);
    if (names.has(name)) throw new Error(`two drawings are named ${name}`);
    names.add(name);
    const own = list.split(" ").filter(Boolean);
    for (const word of own) {
      if (!WORD.test(word)) throw new Error(`${name}: the word "${word}" is not one lower-case word`);
      const other = words.get(fold(word));
      if (other) throw new Error(`the word "${word}" names both ${other} and ${name}`);
      words.set(fold(word), name);
    }
    return {name, words: own, path};
  });
}

function source(list) {
  const version = JSON.parse(readFileSync(require.resolve("@mdi/js/package.json"), "utf8")).version;
  const quoted = (words) => words.map((w) => JSON.stringify(w)).join(", ");
  const lines = list.map((d) => `  {name: "${d.name}", words: [${quoted(d.words)}], path: ${JSON.stringify(d.path)}},`);
  return `// Generated by scripts/make-drawings.mjs from @mdi/js ${version}: do not edit; change the script and run it again.

/** Material Design Icons (Apache 2.0), ${list.length} drawings on a 24×24 grid, each with the words (English and German) a title names it by. */
// biome-ignore format: one drawing a line
export const DRAWINGS: ReadonlyArray<{name: string; words: readonly string[]; path: string}> = [
${lines.join("\n")}
];
`;
}

const list = drawings();
const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, "src/pictures/drawings.ts");
writeFileSync(out, source(list));
console.log(`wrote ${list.length} drawings to ${path.relative(root, out)}`);
