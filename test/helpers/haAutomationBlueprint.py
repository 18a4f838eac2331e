"""Run an automation blueprint as Home Assistant runs an automation made from it, for the tests.

  python haAutomationBlueprint.py BLUEPRINT.yaml < request.json

The blueprint is loaded with the inputs given (the rest their defaults). Home Assistant's side, from
its core:

- homeassistant/components/blueprint: `!input name` is the input's value, else its default.
- homeassistant/components/homeassistant/triggers/state.py: a state trigger with `to` (or `from`)
  fires only when the state itself changes to (from) that, never for an attribute alone; with `for`
  it fires once the state has held that long (here: it is reported, and taken to have held). The
  trigger variable has `id`, `platform`, `entity_id`, `from_state`, `to_state` and `for`.
- homeassistant/components/homeassistant/triggers/homeassistant.py: `event: start` fires as Home
  Assistant starts, with `id`, `platform` and `event`.
- homeassistant/components/homeassistant/triggers/time.py: `at` (a time, or a list of them) fires when
  the clock reads it; the trigger variable has `id`, `platform` and `now`.
- homeassistant/helpers/condition.py: a `time` condition with `weekday` (a day or a list, `mon` …
  `sun`) passes on those days.
- homeassistant/components/automation: the automation's `variables` render when it is triggered,
  with `trigger`, before its conditions; a template condition passes when it renders true.
- homeassistant/helpers/script.py: `variables` steps render in order; `choose` runs the sequence of
  its first option whose conditions all pass, else its default; an action's name, target and data
  are templates (rendered to native values, as HA's native types do).

Request (JSON on stdin): {"inputs": {...}, "cases": [{"states": {entity: state}, "change":
{"entity_id", "from", "to"}} or {"states": {...}, "start": true} or {"states": {...}, "time":
"18:00:00", "weekday": "sun"}]}; a case's "attributes" ({entity: {name: value}}) are what
`state_attr` reads. Prints {"cases": [{"fired":
[{"id", "for"}], "calls": [{"action", "target", "data"}]}]}: the triggers that fire and the actions
the runs call, in order.

Only what these blueprints use is stood in for: `states(entity)`, `is_state(entity, state)` and
`state_attr(entity, name)` read the case's states and attributes.
"""
import ast
import json
import sys

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment


class Input(str):
    """`!input name`."""


def load(path, inputs):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!input", lambda loader, node: Input(loader.construct_scalar(node)))
    with open(path, encoding="utf-8") as f:
        bp = yaml.load(f, Loader=Loader)
    values = {name: spec.get("default") for name, spec in bp["blueprint"]["input"].items()}
    for name, value in inputs.items():
        if name not in values:
            raise SystemExit(f"no input {name!r} in the blueprint")
        values[name] = value

    def resolve(node):
        if isinstance(node, Input):
            if values[str(node)] is None:
                raise SystemExit(f"input {node!r} has neither a value nor a default")
            return values[str(node)]
        if isinstance(node, list):
            return [resolve(n) for n in node]
        if isinstance(node, dict):
            return {k: resolve(v) for k, v in node.items()}
        return node

    return resolve({k: v for k, v in bp.items() if k != "blueprint"})


def environment(states, attributes=None):
    env = ImmutableSandboxedEnvironment()
    env.globals["states"] = lambda entity: states.get(entity, "unknown")
    env.globals["is_state"] = lambda entity, state: states.get(entity) == state
    env.globals["state_attr"] = lambda entity, name: (attributes or {}).get(entity, {}).get(name)
    return env


def native(text):
    """HA reads a rendered template back to a Python value when it reads as one (a number, True, a list)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def render(env, value, scope):
    if isinstance(value, str):
        return native(env.from_string(value).render(scope))
    if isinstance(value, list):
        return [render(env, v, scope) for v in value]
    if isinstance(value, dict):
        return {k: render(env, v, scope) for k, v in value.items()}
    return value


def passes(env, conditions, scope):
    for c in conditions if isinstance(conditions, list) else [conditions]:
        if isinstance(c, dict) and c.get("condition") == "time" and set(c) <= {"condition", "weekday"}:
            if scope.get("_case_weekday") not in as_list(c["weekday"]):
                return False
            continue
        if isinstance(c, str):
            template = c
        elif c.get("condition") == "template":
            template = c["value_template"]
        else:
            raise SystemExit(f"only template conditions are stood in for, not {c}")
        if render(env, template, scope) is not True:
            return False
    return True


def run(env, steps, scope, calls):
    for step in steps:
        if "variables" in step:
            for name, value in step["variables"].items():
                scope[name] = render(env, value, scope)
        elif "choose" in step:
            chosen = next((o["sequence"] for o in step["choose"] if passes(env, o["conditions"], scope)), None)
            run(env, chosen if chosen is not None else step.get("default", []), scope, calls)
        elif "action" in step:
            calls.append({
                "action": render(env, step["action"], scope),
                "target": render(env, step.get("target", {}), scope),
                "data": render(env, step.get("data", {}), scope),
            })
        else:
            raise SystemExit(f"only variables, choose and actions are stood in for, not {step}")


def as_list(value):
    return value if isinstance(value, list) else [value]


def fired(automation, case):
    out = []
    for t in automation["triggers"]:
        if case.get("start"):
            if t["trigger"] == "homeassistant" and t["event"] == "start":
                out.append({"id": t.get("id"), "platform": "homeassistant", "event": "start"})
            continue
        if "time" in case:
            if t["trigger"] == "time" and case["time"] in as_list(t["at"]):
                out.append({"id": t.get("id"), "platform": "time", "now": case["time"]})
            continue
        change = case["change"]
        if t["trigger"] != "state" or change["entity_id"] not in as_list(t["entity_id"]):
            continue
        if change["from"] == change["to"] and ("to" in t or "from" in t):
            continue
        if "to" in t and change["to"] not in as_list(t["to"]):
            continue
        if "from" in t and change["from"] not in as_list(t["from"]):
            continue
        out.append({
            "id": t.get("id"),
            "platform": "state",
            "entity_id": change["entity_id"],
            "from_state": {"entity_id": change["entity_id"], "state": change["from"]},
            "to_state": {"entity_id": change["entity_id"], "state": change["to"]},
            "for": t.get("for"),
        })
    return out


def main():
    request = json.load(sys.stdin)
    automation = load(sys.argv[1], request.get("inputs", {}))
    results = []
    for case in request["cases"]:
        states = dict(case.get("states", {}))
        if "change" in case:
            states[case["change"]["entity_id"]] = case["change"]["to"]
        env = environment(states, case.get("attributes"))
        triggers = fired(automation, case)
        calls = []
        for trigger in triggers:
            scope = {"trigger": trigger, "_case_weekday": case.get("weekday")}
            for name, value in automation.get("variables", {}).items():
                scope[name] = render(env, value, scope)
            if passes(env, automation.get("conditions", []), scope):
                run(env, automation["actions"], scope, calls)
        results.append({"fired": [{"id": t["id"], "for": t.get("for")} for t in triggers], "calls": calls})
    print(json.dumps({"cases": results}))


if __name__ == "__main__":
    main()
