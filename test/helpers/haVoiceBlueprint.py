"""Run a voice blueprint's sentence triggers and templates the way Home Assistant does, for the tests.

  python haVoiceBlueprint.py BLUEPRINT.yaml < request.json

`{"inputs"?: {name: value}}` sets inputs as an automation made from the blueprint does; the defaults
stand for the rest.

`{"hear": [{"text", "device_id"?, "context_id"?}], "registry": {"devices": {id: {"name", "area_id"}},
"areas": {id: name}, "entities"?: {entity_id: {"device_id"?, "area_id"?, "friendly_name"?}}}}`: each sentence is matched against every conversation trigger's default sentences
with hassil as HA's default agent matches trigger sentences (every trigger an intent of its own, every
{slot} a wildcard, each trigger that matches fires once), then the actions' variables and the
mqtt.publish payload are rendered with Jinja2. Prints {"heard": [{"text", "fired": [ids], "slots",
"topic", "payload"}]}.

`{"sample": {slot: [values]}, "without"?: ["[please]"]}`: every sentence the triggers' templates make with those slot values
(hassil's own sampler), each heard as above; prints {"sampled": n, "problems": [[sentence, its
trigger, [triggers fired]]]} for each that fires another trigger than its own, or more than one.

`{"walk": {"values": {slot: [values]}, "per_template": n, "seed": s}}`: for templates too wide to
sample whole (the family's, with every name written in), n random paths through each template (each
alternative and optional taken at random, a slot one of its values), each heard as above; prints the
same as "sample".

`{"answer": [{"variables", "messages": [{"topic", "payload"}]}]}`: the wait_for_trigger's mqtt trigger
is run over the messages (topic and payload templates rendered with the variables, value_template per
message), then set_conversation_response is rendered with `wait`. Prints {"spoken": [text, ...]}.

`"exhaustive": true` (with hear, sample or walk) matches each sentence against every template; by
default it meets only those whose words it holds (hassilShortcut.py), which fires the same.

Only what these blueprints use is stood in for: areas, area_name, area_id, area_devices, area_entities,
device_attr and state_attr read
the registry given; a variable's result is parsed to a Python value as HA's native types do.
"""
import ast
import functools
import json
import re
import sys

import yaml
from hassil import Intents
from hassil.expression import Alternative, Group, ListReference, TextChunk
from hassil.intents import TextSlotList, WildcardSlotList
from hassil.sample import sample_intents
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hassilShortcut import shortcut_of


class Input(str):
    """`!input name`, resolved to the input's default as an imported blueprint without changes."""


def load(path, inputs=None):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!input", lambda loader, node: Input(loader.construct_scalar(node)))
    with open(path, encoding="utf-8") as f:
        bp = yaml.load(f, Loader=Loader)
    defaults = {name: spec.get("default") for name, spec in bp["blueprint"]["input"].items()}
    # An automation made from the blueprint with some inputs set (the family's own sentences pasted in).
    for name, value in (inputs or {}).items():
        if name not in defaults:
            raise SystemExit(f"the blueprint has no input {name}")
        defaults[name] = value

    def resolve(node):
        if isinstance(node, Input):
            return defaults[str(node)]
        if isinstance(node, list):
            return [resolve(n) for n in node]
        if isinstance(node, dict):
            return {k: resolve(v) for k, v in node.items()}
        return node

    return resolve({"triggers": bp["triggers"], "actions": bp["actions"]})


def environment(registry):
    env = ImmutableSandboxedEnvironment()
    # Each template compiled once, as Home Assistant compiles an automation's templates once: every
    # sentence heard renders the same variables.
    env.from_string = functools.lru_cache(maxsize=None)(env.from_string)
    devices = registry.get("devices", {})
    areas = registry.get("areas", {})
    # As HA's: a device id gives its area; an area's id or name gives that area.
    def area_id(x):
        if not x:
            return None
        if x in devices:
            return devices[x].get("area_id")
        return x if x in areas else next((a for a, n in areas.items() if n == x), None)

    env.globals["area_id"] = area_id
    env.globals["area_name"] = lambda x: areas.get(area_id(x))
    env.globals["area_devices"] = lambda a: [d for d, v in devices.items() if v.get("area_id") == a]
    entities = registry.get("entities", {})

    # As HA's: an entity id stands for its device.
    def device_attr(x, attr):
        device = (entities.get(x) or {}).get("device_id", x)
        return (devices.get(device) or {}).get(attr)

    # As HA's area_entities (core homeassistant/helpers/template/extensions/areas.py): those in the area,
    # and those of its devices that have no area of their own.
    def area_entities(a):
        def area_of(e):
            return e.get("area_id") or (devices.get(e.get("device_id")) or {}).get("area_id")

        return [x for x, e in entities.items() if area_of(e) == a]

    env.globals["device_attr"] = device_attr
    env.globals["area_entities"] = area_entities
    env.globals["state_attr"] = lambda x, attr: (entities.get(x) or {}).get(attr)
    env.globals["areas"] = lambda: list(areas)
    return env


def native(text):
    """HA renders a variable to a Python value when its text reads as one ("None", a list, a number)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def trigger_intents(triggers):
    names = set()
    intents = {}
    for t in triggers:
        if t.get("trigger") != "conversation":
            continue
        commands = t["command"] if isinstance(t["command"], list) else [t["command"]]
        intents[t["id"]] = {"data": [{"sentences": commands}]}
        for c in commands:
            names.update(re.findall(r"\{([^}:]+)", c))
    result = Intents.from_dict({"language": "en", "intents": intents})
    for name in names:
        result.slot_lists[name] = WildcardSlotList(name)
    return result


def trigger_shortcut(triggers, exhaustive):
    """The triggers' intents as hassil parsed them (kept for the run where it says so: hassilShortcut.py)."""
    conversation = [t for t in triggers if t.get("trigger") == "conversation"]
    key = {"triggers": [[t["id"], t["command"]] for t in conversation]}
    return shortcut_of(lambda: trigger_intents(triggers), key, exhaustive)


def hear(bp, request):
    env = environment(request.get("registry", {}))
    intents = trigger_shortcut(bp["triggers"], request.get("exhaustive", False))
    variables_step = next(a for a in bp["actions"] if "variables" in a)["variables"]
    publish = next(a for a in bp["actions"] if a.get("action") == "mqtt.publish")["data"]
    out = []
    for said in request["hear"]:
        fired = {}
        # As Home Assistant core's components/conversation/trigger.py builds `trigger.slots`: one per
        # entity hassil matched, its value stripped when text; a template without a slot gives {}.
        for r in intents.recognize_all(said["text"]):
            fired.setdefault(r.intent.name, {k: (v.value.strip() if isinstance(v.value, str) else v.value) for k, v in r.entities.items()})
        entry = {"text": said["text"], "fired": list(fired), "slots": None, "topic": None, "payload": None}
        if len(fired) == 1:
            trigger_id, slots = next(iter(fired.items()))
            scope = {
                "trigger": {"platform": "conversation", "id": trigger_id, "sentence": said["text"], "slots": slots,
                            "device_id": said.get("device_id")},
                "context": {"id": said.get("context_id", "01JVOICE")},
            }
            for name, template in variables_step.items():
                scope[name] = native(env.from_string(str(template)).render(scope)) if isinstance(template, str) else template
            entry.update(slots=slots, topic=env.from_string(publish["topic"]).render(scope),
                         payload=env.from_string(publish["payload"]).render(scope), variables=jsonable(scope))
        out.append(entry)
    print(json.dumps({"heard": out}))


def sample(bp, request):
    intents = trigger_shortcut(bp["triggers"], request.get("exhaustive", False))
    # Sampled without the optional words every sentence allows ("[please]"): each doubles the sentences
    # made, and alone they tell no trigger from another. What is sampled is still heard in full.
    drop = request.get("without", [])
    sampled = trigger_intents([
        {**t, "command": [functools.reduce(lambda c, d: c.replace(d, ""), drop, c) for c in
                          (t["command"] if isinstance(t["command"], list) else [t["command"]])]}
        for t in bp["triggers"] if t.get("trigger") == "conversation"
    ])
    values = {name: TextSlotList.from_strings(v) for name, v in request["sample"].items()}
    problems, count = [], 0
    for own, sentence in sample_intents(sampled, slot_lists=values, exclude_sentences_with_wildcards=False):
        count += 1
        fired = []
        for r in intents.recognize_all(sentence):
            if r.intent.name not in fired:
                fired.append(r.intent.name)
        if fired != [own]:
            problems.append([sentence, own, fired])
    print(json.dumps({"sampled": count, "problems": problems}))


def walk(expression, values, rng):
    """One sentence along a random path through a template's expression."""
    if isinstance(expression, TextChunk):
        return expression.original_text
    if isinstance(expression, ListReference):
        return rng.choice(values.get(expression.slot_name, ["something"]))
    if isinstance(expression, Alternative):
        return walk(rng.choice(expression.items), values, rng)
    if isinstance(expression, Group):
        return "".join(walk(item, values, rng) for item in expression.items)
    raise SystemExit(f"no walk through {type(expression).__name__}")


def walk_sample(bp, request):
    import random
    spec = request["walk"]
    rng = random.Random(spec.get("seed", 1))
    intents = trigger_shortcut(bp["triggers"], request.get("exhaustive", False))
    problems, seen = [], set()
    for t in bp["triggers"]:
        if t.get("trigger") != "conversation":
            continue
        for template in t["command"] if isinstance(t["command"], list) else [t["command"]]:
            # The template as hassil parsed it for matching, not parsed again.
            expression = intents.parsed[template].expression
            for _ in range(spec.get("per_template", 20)):
                sentence = re.sub(r"\s+", " ", walk(expression, spec["values"], rng)).strip()
                if sentence in seen:
                    continue
                seen.add(sentence)
                fired = []
                for r in intents.recognize_all(sentence):
                    if r.intent.name not in fired:
                        fired.append(r.intent.name)
                if fired != [t["id"]]:
                    problems.append([sentence, t["id"], fired])
    print(json.dumps({"sampled": len(seen), "problems": problems}))


def answer(bp, request):
    env = environment({})
    wait = next(a for a in bp["actions"] if "wait_for_trigger" in a)["wait_for_trigger"][0]
    response = next(a for a in bp["actions"] if "set_conversation_response" in a)["set_conversation_response"]
    waited = next(i for i, a in enumerate(bp["actions"]) if "wait_for_trigger" in a)
    after_wait = {k: v for a in bp["actions"][waited + 1:] if "variables" in a for k, v in a["variables"].items()}
    spoken = []
    for case in request["answer"]:
        scope = dict(case["variables"])
        topic = env.from_string(wait["topic"]).render(scope)
        wanted = env.from_string(wait["payload"]).render(scope)
        got = None
        for m in case["messages"]:
            if m["topic"] != topic:
                continue
            try:
                value_json = json.loads(m["payload"])
            except ValueError:
                continue
            if env.from_string(wait["value_template"]).render(value=m["payload"], value_json=value_json) == wanted:
                got = {"platform": "mqtt", "topic": m["topic"], "payload": m["payload"], "payload_json": value_json}
                break
        scope["wait"] = {"trigger": got}
        for name, template in after_wait.items():
            scope[name] = native(env.from_string(template).render(scope))
        spoken.append(env.from_string(response).render(scope).strip())
    print(json.dumps({"spoken": spoken}))


def jsonable(scope):
    return {k: v for k, v in scope.items() if k not in ("trigger", "context")} | {
        "trigger": scope["trigger"], "context": scope["context"]}


def main():
    req = json.load(sys.stdin)
    blueprint = load(sys.argv[1], req.get("inputs"))
    if "hear" in req:
        hear(blueprint, req)
    elif "sample" in req:
        sample(blueprint, req)
    elif "walk" in req:
        walk_sample(blueprint, req)
    else:
        answer(blueprint, req)


if __name__ == "__main__":
    main()
