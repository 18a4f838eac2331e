import type {AnnounceBody, AnnounceOutcome} from "../../../src/shared/api/index.js";
import {request, segment} from "./http.js";

export type {AnnounceOutcome} from "../../../src/shared/api/index.js";

/** Resolves once the announcement is over and the player is back where it was (a few seconds). */
export const announce = (player: string, body: AnnounceBody) =>
  request<AnnounceOutcome>("POST", `api/players/${segment(player)}/announce`, body);
