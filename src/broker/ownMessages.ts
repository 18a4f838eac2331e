import type {Aedes} from "aedes";
import type {RetainedBudget} from "./retainedBudget.js";

type Done = (err?: Error) => void;

interface Pending {
  topic: string;
  payload: Buffer;
  retain: boolean;
  done: Done;
}

/** Aedes's own rule, which a custom authorizePublish replaces: $SYS is the broker's, ours included. */
export const SYS_PREFIX = "$SYS/";

const STOPPED = "the embedded MQTT broker stopped";

/** Aedes's message bus (its `mq`), where a message is handed to every matching subscriber. */
interface Bus {
  emit(message: {payload?: unknown}, callback?: (...args: unknown[]) => void): void;
}

/**
 * The service's own messages, published straight into the embedded broker: no MQTT encoding,
 * socket and parsing on the way in, which cost our client about a fifth of the service's CPU per
 * cloud event at 100 players (bench/haPublish.ts).
 *
 * Each is taken once the one before has been handed to the subscribers. Aedes numbers every
 * message as it takes it and never forwards a subscriber one numbered below what it last sent it.
 * A retained message first waits for its store, so a message taken right after it and not retained
 * went out first, and the retained one was dropped for everyone listening ("Listening today" never
 * reached Home Assistant until it subscribed again). Waiting only until it is handed over, not
 * until subscribers have read it, keeps a burst (discovery at start) as quick as through a socket.
 * The simulator of Yoto's cloud publishes its players' messages the same way, for the same reason.
 */
export class OwnMessages {
  readonly #aedes: Aedes;
  readonly #budget?: RetainedBudget;
  #queue: Pending[] = [];
  #next = 0;
  /** Taken by the broker and not yet handed to the subscribers. */
  #inFlight?: Pending;
  #closed = false;

  /** `budget`: the embedded broker's count of what is retained; the simulator of Yoto's cloud has none. */
  constructor(aedes: Aedes, budget?: RetainedBudget) {
    this.#aedes = aedes;
    this.#budget = budget;
    // Aedes keeps the payload Buffer it is given: that is how ours is known on the bus.
    const bus = (aedes as unknown as {mq: Bus}).mq;
    const emit = bus.emit.bind(bus);
    bus.emit = (message, callback) => {
      emit(message, callback);
      if (this.#inFlight && message.payload === this.#inFlight.payload) this.#handedOver();
    };
  }

  publish(topic: string, payload: Buffer, retain: boolean, done: Done): void {
    const refusal = this.#closed
      ? "the embedded MQTT broker is not running"
      : topic.startsWith(SYS_PREFIX)
        ? `${SYS_PREFIX} topic is reserved`
        : undefined;
    if (refusal) {
      done(new Error(refusal));
      return;
    }
    this.#queue.push({topic, payload, retain, done});
    if (!this.#inFlight) this.#publishNext();
  }

  /** The broker is going: what has not been published is answered with why. */
  close(): void {
    this.#closed = true;
    this.#inFlight = undefined;
    const left = this.#queue.slice(this.#next);
    this.#queue = [];
    this.#next = 0;
    for (const pending of left) pending.done(new Error(STOPPED));
  }

  #publishNext(): void {
    const pending = this.#closed ? undefined : this.#queue[this.#next];
    if (!pending) {
      this.#queue = [];
      this.#next = 0;
      return;
    }
    this.#next++;
    this.#inFlight = pending;
    const {topic, payload, retain, done} = pending;
    // Always kept, and counted with everyone else's (see RetainedBudget).
    if (retain) this.#budget?.admit(topic, payload.length, true);
    this.#aedes.publish({cmd: "publish", topic, payload, qos: 1, retain, dup: false}, (err) => {
      // Stopped while this one was on its way: Aedes says "mqemitter is closed"; say what happened.
      done(err && this.#closed ? new Error(STOPPED) : (err ?? undefined));
      // Refused before it reached the bus (a topic too deep): the next one need not wait.
      if (this.#inFlight === pending) this.#handedOver();
    });
  }

  #handedOver(): void {
    this.#inFlight = undefined;
    this.#publishNext();
  }
}
