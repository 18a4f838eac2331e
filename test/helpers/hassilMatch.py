"""Which group of sentence templates each sentence matches, as a Home Assistant `conversation` trigger
matches it with hassil, for the tests (test/helpers/hassil.ts, matchSentences).

  python hassilMatch.py < request.json

`{"groups": {name: [template, ...]}, "sentences": [text, ...], "language"?: "en"}`: every group is an
intent of its own whose templates are its sentences, every {slot} in them a wildcard (a trigger's slots
take any words), and each sentence is recognized as hassil's best match over all the groups. Prints
{"matched": [{"text", "name" (null when none matched), "slots": {slot: value}}]}, in the sentences'
order. `"exhaustive": true` matches every sentence against every template (hassilShortcut.py says
why it need not). Needs only hassil (any python it is installed in: from its sources or from PyPI).
"""
import json
import re
import sys

from hassil import Intents

from hassilShortcut import shortcut_of

# `{name}` or `{name:alias}`: the slot is the part before any colon.
SLOT = re.compile(r"\{([^}:]+)")


def intents_of(groups, language):
    slots = sorted({slot for templates in groups.values() for t in templates for slot in SLOT.findall(t)})
    return Intents.from_dict(
        {
            "language": language,
            "intents": {name: {"data": [{"sentences": list(templates)}]} for name, templates in groups.items()},
            "lists": {slot: {"wildcard": True} for slot in slots},
        }
    )


def match(text, intents):
    best = intents.recognize_best(text)
    if best is None:
        return {"text": text, "name": None, "slots": {}}
    return {
        "text": text,
        "name": best.intent.name,
        "slots": {name: entity.value for name, entity in best.entities.items()},
    }


def main():
    request = json.load(sys.stdin)
    language = request.get("language", "en")
    intents = shortcut_of(
        lambda: intents_of(request["groups"], language),
        {"groups": request["groups"], "language": language},
        request.get("exhaustive", False),
    )
    json.dump({"matched": [match(text, intents) for text in request["sentences"]]}, sys.stdout)


if __name__ == "__main__":
    main()
