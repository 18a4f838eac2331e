import type {EventBus} from "../core/events.js";
import type {RuleSpec} from "../shared/ruleSpec.js";
import type {ChildRecord} from "./familyStore.js";
import {FAMILY_PLAN_ORIGIN, generatedRules} from "./generatedRules.js";
import type {FamilyStep} from "./types.js";

/** The rule engine takes the plan's rules, and runs the ones a step starts (late-bound). */
export interface PlanRuleEngine {
  setGenerated(origin: string, rules: readonly RuleSpec[]): Promise<unknown>;
  runsStartedBy(emit: () => void): Promise<void>;
}

/**
 * The plan's side of the rule engine: the rules that carry out the children's plans, handed over
 * when they change, and the steps (a wind-down, "not tonight") the plan reaches, which they act on.
 */
export class PlanRules {
  readonly #rules: PlanRuleEngine;
  readonly #bus: EventBus;
  #lastRules = "";

  constructor(rules: PlanRuleEngine, bus: EventBus) {
    this.#rules = rules;
    this.#bus = bus;
  }

  /** The rules for these children; the engine is told only when they differ from the last. */
  async publish(children: Iterable<ChildRecord>): Promise<void> {
    const rules = generatedRules(children);
    const text = JSON.stringify(rules);
    if (text === this.#lastRules) return;
    this.#lastRules = text;
    await this.#rules.setGenerated(FAMILY_PLAN_ORIGIN, rules);
  }

  /**
   * Hand a step to the plan's rules. Only "not tonight" is waited for (quiet starts again after the
   * line is said); a wind-down runs for minutes and must not hold up the plan.
   */
  async runStep(step: FamilyStep): Promise<void> {
    if (step.step !== "not_tonight") {
      this.#bus.emit("family.stepReached", step);
      return;
    }
    await this.#rules.runsStartedBy(() => this.#bus.emit("family.stepReached", step));
  }
}
