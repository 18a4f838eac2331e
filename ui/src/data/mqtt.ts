import type {BrokerSummary} from "../../../src/http/api.js";
import {get} from "./http.js";

export type {BrokerSummary} from "../../../src/http/api.js";

/** The local broker in use and, for the embedded one, the login Home Assistant's MQTT integration needs. */
export const getBroker = () => get<BrokerSummary>("api/mqtt");
