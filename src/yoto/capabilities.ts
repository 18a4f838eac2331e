import {ownEntry} from "../core/ownKeys.js";

/** What a player family has, as far as the cloud lets us drive or read it (reference §6.1). */
export interface Capabilities {
  /** Takes `ambients/set`: the coloured ring (every family but the Mini). */
  lightRing: boolean;
  /** Reports a real `als` reading and dims itself; the others send 0. */
  ambientLightSensor: boolean;
  /** How error messages name the kind of player when it lacks something. */
  label: string;
}

const V2: Capabilities = {lightRing: true, ambientLightSensor: false, label: "a Yoto Player"};

/** By `deviceFamily`. Device types (`v3e`, `minie`) vary within a family and do not matter here. */
const FAMILIES: Record<string, Capabilities> = {
  v1: {lightRing: true, ambientLightSensor: false, label: "an original Yoto Player"},
  v2: V2,
  v3: {lightRing: true, ambientLightSensor: true, label: "a 3rd-generation Yoto Player"},
  mini: {lightRing: false, ambientLightSensor: false, label: "a Yoto Mini"},
};

/**
 * A family we have not met (a new generation) is taken for a 2nd-generation player, as the
 * community clients do: a light ring, no light sensor. The family stays as reported everywhere else.
 */
export function capabilitiesOf(family: string): Capabilities {
  return ownEntry(FAMILIES, family) ?? V2;
}
