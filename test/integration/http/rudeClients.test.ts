import {mkdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {relayPath, scenePath} from "../../../src/links/audioPaths.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {audioTrack, uploadTone} from "../../helpers/archiveCards.js";
import {ffmpegPath, makeTone} from "../../helpers/audio.js";
import {startSimulator} from "../../helpers/cloud.js";
import {DmsLikeDevice} from "../../helpers/dmsDevice.js";
import {type FeedServer, followFeed, taleEpisode, toneFeedServer} from "../../helpers/feedServer.js";
import {type HeldFolder, heldFolder} from "../../helpers/heldDlna.js";
import {call} from "../../helpers/http.js";
import {until} from "../../helpers/icecast.js";
import {type InspectedService, startInspectedService} from "../../helpers/inspectedService.js";
import {loopStation, tinyServer} from "../../helpers/radio.js";
import {
  politeVisit,
  RUDE_BEHAVIOURS,
  type RudeBehaviour,
  type RudeVisit,
  rudeCrowd,
  rudeVisit,
} from "../../helpers/rudeClients.js";
import {tempDir} from "../../helpers/tmp.js";
import {soap} from "../../helpers/upnpHttp.js";

/**
 * No listener can stop the service (issue 76). A Yoto switched off mid-story, a phone leaving the
 * Wi-Fi, a speaker changing source: each leaves without a word, at any moment of its answer. Here
 * 1,000 of them (reset before the headers, right after them, mid-body; half-closed; never reading),
 * 50 at a time, over real TCP, spread over every audio route the service has: library files (as a
 * player's link and as the media server's res link), streams in each play mode, a child's story
 * radio, two stations (one MP3, one AAC that ffmpeg converts), a podcast, a story's scenes, an
 * archived card's track, the relay card during an announcement and during a renderer's cast, and
 * a queue still waiting for its first track. Then the service still answers, every route still
 * plays to a new listener, and it holds no more descriptors or memory than before.
 *
 * The service runs in a process of its own (inspectedServiceChild.ts), not in the test's: an error
 * nobody handles then ends it (the service's own guard exits on one), which the test sees as its
 * exit, rather than being caught and reported later by the test runner; and its descriptors are
 * counted in /proc/<pid>/fd without the test's thousand sockets among them. The few things only the
 * app knows (a link's signature, whether a relay clip is on, its heap after a collection) it
 * answers over the IPC channel.
 */

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

const RUDE_CLIENTS = 1000;
const AT_ONCE = 50;
/** Of them, this many go to the queue still waiting for its first track (the rest to the others). */
const WAITING_CLIENTS = 50;
/** `neverRead` clients held open at once; the oldest is let go when one more comes. */
const MAX_HELD = 40;
/**
 * Descriptors allowed above the count before, beyond the open-file cache's (files stay open a
 * while between requests, by design, and are counted apart): a connection to the simulator or the
 * broker being remade, a warm encoder for the next announcement.
 */
const FD_SLACK = 6;
/** Heap (after a collection) allowed above before: the request log, the listening history's rows. */
const HEAP_GROWTH_BYTES = 16 * 1024 * 1024;
/** Timers allowed above before: a retry or refresh of the service's own that happens to be pending. */
const TIMER_SLACK = 4;
/** Converters waiting ready by design once their kind is used (warmEncoder.ts: two of a kind). */
const WARM_CONVERTERS = 2;

// 32 kb/s mono: 4,000 bytes a second, so an endless stream's 30 s burst is 120 KB and a client
// that reads past it meets the pacing (three times real time, a slice every quarter second).
const TONE = {bitrate: "32k", sampleRate: 22050, channels: 1, quick: true} as const;
const BURST_BYTES = 30 * 4000;
const DLNA = {"getcontentFeatures.dlna.org": "1", "transferMode.dlna.org": "Streaming"};

const STORY = `story:
  id: cave
  title: The Cave
  start: gate
  scenes:
    gate:
      audio: story/gate.mp3
      left: tunnel
      right: river
    tunnel:
      audio: {stream: tunnel_audio}
      end: river
    river:
      audio: [story/gate.mp3, story/river.mp3]
`;

interface Route {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** A station's answer: as fast as the station sends, so its listeners read less of it. */
  station?: boolean;
}

let sim: YotoSimulator;
let svc: InspectedService;
let feed: FeedServer;
let stations: {mp3: Awaited<ReturnType<typeof loopStation>>; aac: Awaited<ReturnType<typeof loopStation>>};
let nas: HeldFolder;
const routes: Route[] = [];
let waitingUrl: string;

const api = (method: string, pathname: string, body?: unknown) => call(method, `${svc.adminUrl}${pathname}`, body);

async function signedPathOf(kind: "streams" | "library", name: string): Promise<string> {
  const {status, body} = await api("GET", `/api/${kind}/${name}`);
  if (status !== 200) throw new Error(`GET /api/${kind}/${name} answered ${status}: ${JSON.stringify(body)}`);
  return `${svc.audioUrl}${body.signedPath as string}`;
}

beforeAll(async () => {
  sim = await startSimulator();
  // The family's card, archived by the service before the test.
  const fox = await uploadTone(sim, "fox", 5, 440);
  sim.addCard({
    cardId: "gran01",
    title: "Grandma's stories",
    content: {chapters: [{key: "01", title: "Woodland", tracks: [audioTrack("01", "The fox", fox, 5)]}]},
  });

  const root = await tempDir("yss-rude-");
  const mediaDir = path.join(root, "media");
  const rulesDir = path.join(root, "rules");
  await Promise.all([
    ...["song-a", "song-b", "song-c"].map((name, i) =>
      makeTone(path.join(mediaDir, `${name}.mp3`), {...TONE, seconds: 20, frequency: 300 + 100 * i, title: name}),
    ),
    makeTone(path.join(mediaDir, "story", "gate.mp3"), {...TONE, seconds: 5, frequency: 700}),
    makeTone(path.join(mediaDir, "story", "river.mp3"), {...TONE, seconds: 5, frequency: 800}),
    // Long enough that the announcement and the cast are still on when the last rude client comes.
    makeTone(path.join(mediaDir, "bell.mp3"), {...TONE, seconds: 600, frequency: 900, title: "Bell"}),
  ]);
  await mkdir(rulesDir, {recursive: true});

  const aacFile = path.join(root, "station.aac");
  await runFfmpeg(ffmpegPath, [
    ...["-y", "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100:duration=10"],
    ...["-c:a", "aac", "-b:a", "64k", "-f", "adts", aacFile],
  ]);
  stations = {
    mp3: await loopStation(await readFile(path.join(mediaDir, "song-a.mp3")), "audio/mpeg", 32_000),
    aac: await loopStation(await readFile(aacFile), "audio/aac", 32_000),
  };
  feed = await toneFeedServer(2);
  feed.episodes = [taleEpisode(1), taleEpisode(2)];
  const bell = await readFile(path.join(mediaDir, "bell.mp3"));
  const castHost = await tinyServer((req, res) => {
    res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": String(bell.length)});
    res.end(req.method === "HEAD" ? undefined : bell);
  });

  svc = await startInspectedService(
    sim,
    {dataDir: path.join(root, "data"), mediaDir, rulesDir},
    {
      flags: ["--archive_nightly", "off"],
      app: {
        // One address sends every client here: the per-client limits would refuse most of them.
        audioRateLimit: {burst: 100_000, perSecond: 100_000},
        connectionsPerClient: 1024,
        // A station lets go of its upstream soon after its last listener leaves.
        radio: {lingerMs: 200},
        // A queue change answers at once, with its tracks still on their way.
        streams: {firstWaitMs: 0},
        stories: {attributionWaitMs: 300},
      },
    },
  );

  // Streams in every play mode, and the one a story scene plays.
  for (const [name, items, mode] of [
    ["once", ["song-a.mp3", "song-b.mp3"], "once"],
    ["loop", ["song-a.mp3", "song-b.mp3"], "loop"],
    ["shuffle", ["song-a.mp3", "song-b.mp3", "song-c.mp3"], "shuffle"],
    ["shuffle-loop", ["song-a.mp3", "song-b.mp3", "song-c.mp3"], "shuffle_loop"],
    ["tunnel_audio", ["story/river.mp3"], "once"],
  ] as const)
    expect((await api("PUT", `/api/streams/${name}`, {items, mode})).status).toBe(200);
  // The story, once the stream one of its scenes plays is there.
  await writeFile(path.join(rulesDir, "cave.yaml"), STORY);
  const reloaded = await api("POST", "/api/rules/reload");
  expect(reloaded.body.errors, JSON.stringify(reloaded.body)).toEqual([]);
  for (const [name, station] of [
    ["fm", stations.mp3],
    ["aac-fm", stations.aac],
  ] as const)
    expect((await api("PUT", `/api/streams/${name}`, {radio: {url: `${station.url}/live`}})).status).toBe(200);
  await followFeed(svc.adminUrl, "tales", {url: `${feed.url}/feed.xml`});
  const songC = ((await api("GET", "/api/library?q=song-c")).body.items as Array<{id: string}>)[0]?.id;
  const child = await api("PUT", "/api/children/Mia", {players: ["Bedroom Mini"], shelf: [`library:${songC}`]});
  expect(child.status, JSON.stringify(child.body)).toBe(200);
  await until(
    async () => ((await api("GET", "/api/streams/story-radio-mia")).body.items ?? []).length > 0,
    "Mia's story radio",
  );
  expect((await api("POST", "/api/archive/run?wait=true")).status).toBe(200);

  // The relay card: an announcement on the Living Room, a renderer's cast on the Mini.
  await until(async () => (await svc.ask<boolean>({ask: "renderer", player: MINI})) === true, "the Mini's renderer");
  void api("POST", `/api/players/${LIVING}/announce`, {item: "bell.mp3"}).catch(() => undefined);
  await until(async () => (await svc.ask({ask: "relayClip", player: LIVING})) !== null, "the announcement on");
  const mini = `http://127.0.0.1:${svc.upnpPort}/upnp/${MINI}`;
  const castUrl = `${castHost.url}/cast.mp3`;
  const didl = `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/"><item id="0" parentID="-1" restricted="false"><dc:title>Cast</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><res protocolInfo="http-get:*:audio/mpeg:*" duration="0:10:00.000">${castUrl}</res></item></DIDL-Lite>`;
  const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const set = await soap(mini, "AVTransport", "SetAVTransportURI", {
    InstanceID: "0",
    CurrentURI: escaped(castUrl),
    CurrentURIMetaData: escaped(didl),
  });
  expect(set.status, set.error).toBe(200);
  expect((await soap(mini, "AVTransport", "Play", {InstanceID: "0", Speed: "1"})).status).toBe(200);
  await until(
    async () => (await svc.ask<{feed: boolean} | null>({ask: "relayClip", player: MINI}))?.feed === true,
    "the cast on",
  );

  // What the media server hands Home Assistant and speakers: res links, asked for as renderers ask.
  const dms = await DmsLikeDevice.open(`http://127.0.0.1:${svc.upnpPort}/upnp/library/description.xml`);
  const resOf = async (container: string, title?: string) => {
    const {result} = await dms.browseDirectChildren(container);
    const found = result.find((o) => o.res && (title === undefined || o.title.toLowerCase() === title));
    if (!found?.res) throw new Error(`no res in ${container}: ${JSON.stringify(result.map((o) => o.title))}`);
    return found.res;
  };

  const songA = ((await api("GET", "/api/library?q=song-a")).body.items as Array<{id: string}>)[0]?.id as string;
  routes.push(
    {name: "library file", url: await signedPathOf("library", songA)},
    {name: "library file (res)", url: await resOf("library/folders", "song-a"), headers: DLNA},
    {name: "stream once", url: await signedPathOf("streams", "once")},
    {name: "stream loop", url: await signedPathOf("streams", "loop")},
    {name: "stream shuffle", url: await signedPathOf("streams", "shuffle")},
    {name: "stream shuffle_loop", url: await signedPathOf("streams", "shuffle-loop")},
    {name: "stream (res)", url: await resOf("streams", "loop"), headers: DLNA},
    {name: "story radio", url: await signedPathOf("streams", "story-radio-mia")},
    {name: "station MP3", url: await signedPathOf("streams", "fm"), station: true},
    {name: "station AAC (ffmpeg)", url: await signedPathOf("streams", "aac-fm"), station: true},
    {name: "station (res)", url: await resOf("radio", "fm"), headers: DLNA, station: true},
    {name: "podcast", url: await signedPathOf("streams", "tales")},
    {name: "podcast episode (res)", url: await resOf("podcasts/tales"), headers: DLNA},
    {name: "story scene", url: await svc.signedUrl(scenePath("cave", "gate"))},
    {name: "story scene (list)", url: await svc.signedUrl(scenePath("cave", "river"))},
    {name: "story scene (stream)", url: await svc.signedUrl(scenePath("cave", "tunnel"))},
    {name: "archived track (res)", url: await resOf("cards/gran01"), headers: DLNA},
    {name: "relay: announcement", url: await svc.signedUrl(relayPath(LIVING))},
    {name: "relay: renderer cast", url: await svc.signedUrl(relayPath(MINI))},
  );

  // A queue whose first track is still on its way from a media server.
  nas = await heldFolder(svc, ["held", "held"], () => ({type: "audio/mpeg", bytes: bell.subarray(0, 40_000)}));
  const queued = await api("POST", "/api/streams/waiting/queue", {items: [nas.ref]});
  expect(queued.body.stream?.items, JSON.stringify(queued.body)).toEqual([]);
  waitingUrl = await signedPathOf("streams", "waiting");
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await feed?.stop();
});

/** One rude client of `behaviour` to `route`; the `n`th of the run, which varies how much it reads. */
function visit(route: Route, behaviour: RudeBehaviour, n: number): Promise<RudeVisit> {
  // From a byte to past an endless stream's burst, where the pacing holds the writer back.
  const bodyBytes = 1 + ((n * 7919) % (route.station ? 16_000 : BURST_BYTES + 16_000));
  return rudeVisit(route.url, behaviour, {bodyBytes, headers: route.headers});
}

interface Held {
  /** Descriptors beyond the open-file cache's (which keeps files open between requests, by design). */
  descriptors: number;
  /** Timers and child processes (ffmpeg) Node waits on. */
  timers: number;
  children: number;
  heapUsed: number;
}

async function held(): Promise<Held> {
  const [fds, files, resources, memory] = await Promise.all([
    svc.openDescriptors(),
    svc.ask<{open: number}>({ask: "openFiles"}),
    svc.ask<Record<string, number>>({ask: "resources"}),
    svc.ask<{heapUsed: number; gc: boolean}>({ask: "memory"}),
  ]);
  expect(memory.gc, "the service runs with --expose-gc").toBe(true);
  return {
    descriptors: fds - files.open,
    timers: resources.Timeout ?? 0,
    children: resources.ProcessWrap ?? 0,
    heapUsed: memory.heapUsed,
  };
}

/** The service's last error line, to say why it stopped when it did. */
const lastError = () => svc.lines.filter((l) => /\] ERROR\b/.test(l)).at(-1) ?? "(no error logged)";

describe("listeners that walk away", () => {
  it("1,000 rude clients on every audio route leave the service running, serving, and holding what it held before", async () => {
    // Before: every route played once as far as a player reads first, so what stays open by design
    // (files kept for the next request) is open already, and the stations let go again.
    for (const route of routes) {
      const got = await politeVisit(route.url, {headers: route.headers, bytes: 64 * 1024});
      expect(got.status, route.name).toBe(200);
      expect(got.bytes, route.name).toBeGreaterThan(0);
    }
    await until(async () => stations.mp3.open() + stations.aac.open() === 0, "the stations to let go");
    const before = await held();
    const linesBefore = svc.lines.length;

    // `neverRead` clients stay open (the service's writes to them pile up) until more come.
    const holding: RudeVisit[] = [];
    const keep = async (v: RudeVisit) => {
      if (v.behaviour !== "neverRead") return v;
      holding.push(v);
      if (holding.length > MAX_HELD) await holding.shift()?.release();
      return v;
    };

    // While a queue waits for its first track: the clients come and wait. The half-closed ones
    // leave while waiting (the service logs each); then the track arrives and the others do
    // their worst to the answer that follows.
    const behaviourAt = (n: number) => RUDE_BEHAVIOURS[n % RUDE_BEHAVIOURS.length] as RudeBehaviour;
    const waiting = Array.from({length: WAITING_CLIENTS}, (_, n) =>
      rudeVisit(waitingUrl, behaviourAt(n), {bodyBytes: 1 + n * 97}).then(keep),
    );
    const halfClosed = Array.from({length: WAITING_CLIENTS}, (_, n) => behaviourAt(n)).filter(
      (b) => b === "halfClose",
    ).length;
    await until(
      () =>
        svc.lines.slice(linesBefore).filter((l) => /left \/streams\/waiting\.mp3 .*\(before its answer\)/.test(l))
          .length >= halfClosed,
      "the half-closed clients to leave while the queue waits",
    );
    nas.release();
    expect(await Promise.all(waiting)).toHaveLength(WAITING_CLIENTS);
    await nas.close();

    // The rest: every route in turn, each behaviour on each, 50 at a time.
    const others = RUDE_CLIENTS - WAITING_CLIENTS;
    const visits = Array.from({length: others}, (_, n) => {
      const route = routes[n % routes.length] as Route;
      const behaviour = RUDE_BEHAVIOURS[Math.floor(n / routes.length) % RUDE_BEHAVIOURS.length] as RudeBehaviour;
      return () => visit(route, behaviour, n).then(keep);
    });
    expect(await rudeCrowd(visits, AT_ONCE)).toHaveLength(others);
    await Promise.all(holding.splice(0).map((v) => v.release()));

    // Still here, and answering.
    expect(svc.exited(), lastError()).toBeUndefined();
    expect((await api("GET", "/api/health")).status).toBe(200);
    // Every route still plays to a new listener.
    for (const route of [...routes, {name: "waiting queue", url: waitingUrl}]) {
      const got = await politeVisit(route.url, {headers: route.headers});
      expect(got.status, route.name).toBe(200);
      expect(got.bytes, route.name).toBeGreaterThan(0);
    }
    // Nothing held for the clients that left: the stations' upstreams closed (and the AAC one's
    // ffmpeg with it), descriptors, timers and children back where they were.
    await until(async () => stations.mp3.open() + stations.aac.open() === 0, "the stations to let go again");
    let after = before;
    await until(async () => {
      after = await held();
      return (
        after.descriptors <= before.descriptors + FD_SLACK &&
        after.timers <= before.timers + TIMER_SLACK &&
        after.children <= Math.max(before.children, WARM_CONVERTERS)
      );
    }, "descriptors, timers and child processes back to what they were");
    expect((await svc.ask<{inUse: number}>({ask: "openFiles"})).inUse).toBe(0);
    expect(after.heapUsed).toBeLessThan(before.heapUsed + HEAP_GROWTH_BYTES);

    // Each client that left cost at most one debug line; nothing louder was written since.
    const since = svc.lines.slice(linesBefore);
    const left = since.filter((l) => / left \/\S+ after /.test(l));
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThanOrEqual(RUDE_CLIENTS + routes.length + 1);
    expect(left.every((l) => /\] DEBUG \(audio\)/.test(l))).toBe(true);
    // As the log shows it: who, which path (never the link's signature), how long, how far.
    expect(left).toContainEqual(
      expect.stringMatching(
        /\] DEBUG \(audio\): 127\.0\.0\.1 left \/streams\/waiting\.mp3 after \d+\.\d s \(before its answer\)$/,
      ),
    );
    expect(left).toContainEqual(
      expect.stringMatching(
        /\] DEBUG \(audio\): 127\.0\.0\.1 left \/streams\/loop\.mp3 after \d+\.\d s \(200, [\d.]+ (bytes|KB|MB) sent\)$/,
      ),
    );
    expect(since.filter((l) => /\] (WARNING|ERROR)\b/.test(l))).toEqual([]);
    // No line carries a link's signature.
    expect(since.filter((l) => l.includes("sig="))).toEqual([]);
    expect(svc.exited(), lastError()).toBeUndefined();
  }, 180_000);
});
