"""Run a script blueprint as Home Assistant's LLM API runs an exposed script, for the tests.

  python haScriptBlueprint.py BLUEPRINT.yaml < request.json

The blueprint is loaded as imported unchanged (every `!input` its default). Home Assistant's side, in
its own words, from its core:

- homeassistant/helpers/llm.py, `ScriptTool` / `ActionTool` / `_get_cached_action_parameters`: an exposed
  script is a tool named after its object id ("_" put first when that starts with a digit); its
  description is the script's description, with ". Aliases: [...]" when the entity has aliases; its
  parameters are a voluptuous schema of the script's `fields`, each `vol.Required` or `vol.Optional` as
  the field's `required` says, described by the field's description (else its name), validated by the
  field's selector. `selector_serializer` gives the LLM a text selector as {"type": "string"}. Calling
  the tool calls `script.<object_id>` with the arguments as its data (blocking, asking for the
  response) and gives the LLM {"success": true, "result": <the script's response>}.
- Older versions of the same file validated the arguments with the tool's schema before the call
  (`tool.parameters(tool_args)`); the LLM is given the schema's `required` list either way. Here a
  call is validated that way, with voluptuous's messages: "required key not provided @ data['what']",
  "extra keys not allowed @ data['x']", "expected str @ data['who']" (a text selector takes a string).
- homeassistant/components/script/__init__.py: the script's action runs the sequence with the call's
  data as variables; homeassistant/components/script/config.py reads `fields` and `description`;
  homeassistant/helpers/script.py: `context` is a variable of every run, `variables` steps render in
  order (a result read back to a Python value, as HA's native types do), and `stop` with
  `response_variable` ends the run with that variable as the response.
- homeassistant/components/mqtt (trigger): `wait_for_trigger`'s mqtt trigger renders its topic and
  payload with the run's variables, and takes a message whose `value_template` (with `value` and
  `value_json`) renders to the payload; `wait.trigger` then has `payload_json`.

Requests (JSON on stdin):

`{"tool": {"object_id", "aliases"?}}`: prints {"tool": {"name", "description", "parameters"}} (parameters
as the JSON schema the LLM is given).

`{"call": [{"object_id", "args", "context_id", "registry"?}]}`: each call's arguments validated as the
tool's schema would; a bad one gives {"error": message}; else the first `variables` step and the
mqtt.publish topic and payload are rendered: {"topic", "payload", "variables"}. Prints {"calls": [...]}.

`{"answer": [{"variables", "messages": [{"topic", "payload"}]}]}`: the wait's mqtt trigger is run over the
messages, the later `variables` steps rendered, and the `stop` step's response variable read: prints
{"answers": [{"response", "tool_result"}]}.

Only what these blueprints use is stood in for (haVoiceBlueprint.environment): areas, area_name,
area_devices, area_entities, device_attr and state_attr read the registry given.
"""
import ast
import json
import sys

import yaml
from haVoiceBlueprint import environment  # the same registry stand-ins as the voice blueprint's


class Input(str):
    """`!input name`."""


def load(path):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!input", lambda loader, node: Input(loader.construct_scalar(node)))
    with open(path, encoding="utf-8") as f:
        bp = yaml.load(f, Loader=Loader)
    defaults = {name: spec.get("default") for name, spec in bp["blueprint"]["input"].items()}

    def resolve(node):
        if isinstance(node, Input):
            return defaults[str(node)]
        if isinstance(node, list):
            return [resolve(n) for n in node]
        if isinstance(node, dict):
            return {k: resolve(v) for k, v in node.items()}
        return node

    return resolve({k: v for k, v in bp.items() if k != "blueprint"})


def native(text):
    """HA reads a rendered template back to a Python value when it reads as one ("None", a list, a dict)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def render_value(env, value, scope):
    if isinstance(value, str):
        return native(env.from_string(value).render(scope))
    if isinstance(value, list):
        return [render_value(env, v, scope) for v in value]
    if isinstance(value, dict):
        return {k: render_value(env, v, scope) for k, v in value.items()}
    return value


def tool(script, object_id, aliases=()):
    name = "_" + object_id if object_id[:1].isdigit() else object_id
    description = script.get("description") or None
    if aliases:
        description = f"{description}. Aliases: {list(aliases)}" if description else f"Aliases: {list(aliases)}"
    properties, required = {}, []
    for field, spec in script.get("fields", {}).items():
        selector = spec.get("selector") or {}
        if list(selector) != ["text"]:
            raise SystemExit(f"field {field}: only text selectors are stood in for, not {selector}")
        prop = {"type": "array", "items": {"type": "string"}} if (selector["text"] or {}).get("multiple") else {"type": "string"}
        described = spec.get("description") or spec.get("name")
        if described:
            prop["description"] = described
        properties[field] = prop
        if spec.get("required"):
            required.append(field)
    parameters = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {"name": name, "description": description, "parameters": parameters}


def validate(script, args):
    """The tool's voluptuous schema over the arguments: the first error, as voluptuous words it."""
    if not isinstance(args, dict):
        return "expected a dictionary"
    fields = script.get("fields", {})
    for key in args:
        if key not in fields:
            return f"extra keys not allowed @ data['{key}']"
    for key, spec in fields.items():
        if key not in args:
            if spec.get("required"):
                return f"required key not provided @ data['{key}']"
            continue
        if not isinstance(args[key], str):
            return f"expected str @ data['{key}']"
    return None


def call(script, request):
    out = []
    publish = next(a for a in script["sequence"] if a.get("action") == "mqtt.publish")["data"]
    first_variables = next(a for a in script["sequence"] if "variables" in a)["variables"]
    for c in request["call"]:
        error = validate(script, c["args"])
        if error:
            out.append({"error": error})
            continue
        env = environment(c.get("registry", {}))
        # The call's data are the run's variables, beside `context` (HA adds `this`, unused here).
        scope = dict(c["args"]) | {"context": {"id": c["context_id"]}}
        for name, value in first_variables.items():
            scope[name] = render_value(env, value, scope)
        out.append({
            "topic": env.from_string(publish["topic"]).render(scope),
            "payload": env.from_string(publish["payload"]).render(scope),
            "variables": {k: v for k, v in scope.items()},
        })
    print(json.dumps({"calls": out}))


def answer(script, request):
    env = environment({})
    steps = script["sequence"]
    waited = next(i for i, a in enumerate(steps) if "wait_for_trigger" in a)
    wait = steps[waited]["wait_for_trigger"][0]
    stop = next(a for a in steps if "stop" in a)
    out = []
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
        for step in steps[waited + 1:]:
            if "variables" in step:
                for name, value in step["variables"].items():
                    scope[name] = render_value(env, value, scope)
            if step is stop:
                break
        response = scope[stop["response_variable"]]
        if not isinstance(response, dict):
            raise SystemExit(f"the response variable is not a mapping: {response!r}")
        out.append({"response": response, "tool_result": {"success": True, "result": response}})
    print(json.dumps({"answers": out}))


if __name__ == "__main__":
    blueprint = load(sys.argv[1])
    req = json.load(sys.stdin)
    if "tool" in req:
        print(json.dumps({"tool": tool(blueprint, req["tool"]["object_id"], req["tool"].get("aliases", ()))}))
    elif "call" in req:
        call(blueprint, req)
    else:
        answer(blueprint, req)
