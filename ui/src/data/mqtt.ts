import type {BrokerSummary} from "../../../src/shared/api/index.js";
import {get} from "./http.js";

export type {BrokerSummary} from "../../../src/shared/api/index.js";

/** The local broker in use and, for the embedded one, the login Home Assistant's MQTT integration needs. */
export const getBroker = () => get<BrokerSummary>("api/mqtt");
