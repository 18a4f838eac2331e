import type {HealthOverview} from "../../../src/shared/api/index.js";
import {get} from "./http.js";

export type {HealthOverview, PlayerPulse, ServiceHealth} from "../../../src/shared/api/index.js";

/** Cloud, account, players' last events, streams, memory and services, in one answer. */
export const getHealthOverview = () => get<HealthOverview>("api/health/overview");
