import type {SupervisorAccess} from "../broker/choice.js";
import type {Config} from "../config/schema.js";
import type {Logger} from "../core/logger.js";
import type {AdminAccessPolicy} from "../http/middleware/adminAccess.js";
import type {SourcesTuning} from "../mediaServers/buildSources.js";
import type {RadioTimings} from "../radio/types.js";
import type {VirtualHands} from "../shared/api/virtualPlayers.js";
import type {StoreOptions} from "../store/store.js";
import type {SsdpScope} from "../upnp/ssdpMessage.js";
import type {CloudEndpoints} from "../yoto/endpoints.js";

/** How to build the app: the config, plus what the add-on, the demo and tests set differently. */
export interface AppOptions {
  config: Config;
  homeAssistant?: boolean;
  version?: string;
  log?: Logger;
  /** Address both listeners bind; tests use 127.0.0.1. */
  host?: string;
  ffmpegPath?: string;
  /** lame, which encodes espeak-ng's speech for announcements (the CLI finds it); else ffmpeg does. */
  lamePath?: string;
  adminAccess?: Partial<AdminAccessPolicy>;
  audioRateLimit?: {burst: number; perSecond: number};
  /** Voice requests that act, per second and at once (10 and 20): a test saying 60 sentences in a row raises it. */
  voiceRate?: {burst: number; perSecond: number};
  /** Calls one assistant may make to the MCP server per second, and at once (tests set it low). */
  mcpRate?: {burst: number; perSecond: number};
  /** Certificates this service's HTTPS fetches of a client's metadata document trust instead of the system's (tests' own CA). */
  trustedCa?: string;
  /** Connections one address may hold open on each listener (tests lower it). */
  connectionsPerClient?: number;
  /** Without `public_url`, hand out links to the audio listener's own address (demo on one machine). */
  linkToOwnAudioListener?: boolean;
  /** Yoto's cloud, or the simulator's addresses in the demo and tests. */
  cloud?: CloudEndpoints & {forgetSavedLogin?: boolean};
  /** Home Assistant's Supervisor API; the token comes from `SUPERVISOR_TOKEN`. */
  supervisor?: SupervisorAccess;
  /**
   * Where the built-in broker listens when not where the listeners do: the add-on keeps it on this
   * machine unless a host port is chosen for it on the Network tab.
   */
  brokerHost?: string;
  /** Delay before republishing after Home Assistant's birth message (tests use 0). */
  republishDelayMs?: () => number;
  /** The demo's simulated players, so the panel can press their buttons. */
  virtualHands?: VirtualHands;
  /** For time rules; defaults to `TZ` (Home Assistant passes it), else the system's. */
  timeZone?: string;
  /** How long a write waits for a database another program locked (tests shorten it). */
  store?: StoreOptions;
  /** When an online player counts as silent, and how often HA's health sensors refresh (tests lower both). */
  health?: {silentAfterMinutes?: number; refreshMs?: number};
  /** How long a flood of refused MQTT messages is counted before the log sums it up (a minute; tests shorten it). */
  floodWindowMs?: number;
  /** How long the panel's "Run now" waits for a run to end before answering 202 (tests shorten it). */
  runAnswerWithinMs?: number;
  /** How often the listening history looks at open sessions (tests shorten it). */
  history?: {sweepMs?: number};
  /** Internet radio's times and limits (tests shorten them). */
  radio?: Partial<RadioTimings>;
  /**
   * Where SSDP reaches: `"machine"` (the default: media-server searches go to this machine only and
   * the renderers answer on loopback, announcing nothing to the group) or `"network"` (the home
   * network's multicast group), which only the CLI's `start` sets, so the demo, benchmarks and tests
   * send nothing off the machine.
   */
  ssdpScope?: SsdpScope;
  /** A cast's source: time to answer, to send nothing, the bytes it may send, the wait for Play (tests shorten them). */
  castSource?: {answerMs?: number; idleMs?: number; maxBytes?: number; prefetchMs?: number};
  /** Media servers: what tests shorten, and where they answer SSDP from. */
  sources?: SourcesTuning;
  /** How long a queue change waits for its first track on the way (tests that hold tracks wait for it). */
  streams?: {firstWaitMs?: number};
  /**
   * How long after a story card could not be rewritten it is tried again, each time (tests shorten
   * it); how long a streamed story's slot request waits for the cloud to say which player asked (a
   * second; tests on a busy machine lengthen it).
   */
  stories?: {cardRetryMs?: readonly number[]; attributionWaitMs?: number};
  /** How long a sleep sound's minute lasts (a minute; tests shorten it to see a timer end). */
  sleepMinuteMs?: number;
}
