import type {HealthOverview} from "../../../src/http/api.js";
import {get} from "./http.js";

export type {HealthOverview, PlayerPulse, ServiceHealth} from "../../../src/http/api.js";

/** Cloud, account, players' last events, streams, memory and services, in one answer. */
export const getHealthOverview = () => get<HealthOverview>("api/health/overview");
