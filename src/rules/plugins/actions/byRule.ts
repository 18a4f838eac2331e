import type {PlayRequest} from "../../../gate/types.js";
import type {RunContext} from "../../types.js";

/** How a rule's start is asked at the play gate: the journal names the rule ("started by the rule 'bedtime'"). */
export function byRule(run: Pick<RunContext, "ruleId">): PlayRequest {
  return {route: "rule", by: run.ruleId};
}
