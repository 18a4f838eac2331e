"""hassil's own matching over only the templates a sentence could match: the same results, sooner.

A sentence that no template's regex matches makes hassil try every template with its string matcher
(recognize.py falls back to all of them), tens of milliseconds a sentence against the family's lines.
Most of those templates cannot match at all: a template's literal words must appear in the sentence
(string_matcher.py matches a text chunk only where the text holds it, case aside). So what every path
through a template must say is read once (clauses: one of these words, and one of those), and a
sentence is matched, by hassil itself, against the templates whose clauses it meets. The regex filter then sees the same candidates it would
have kept, and the fallback tries only templates that could match: what fires is the same.

The shortcut is checked against hassil unfiltered by the tests (voiceShortcut.test.ts).

Reading the family's German lines takes hassil seconds, and the tests hear them again and again: with
`HASSIL_CACHE` set (a folder of the run's), the templates as hassil parsed them are kept there by
their text, and read back by the next python that has the same ones.
"""
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from dataclasses import replace

from hassil import Intents, recognize_all, recognize_best
from hassil.expression import Alternative, Group, ListReference, RuleReference, TextChunk

WORD = re.compile(r"\w+")


def _fold(text):
    # As hassil's re.IGNORECASE compares: casefolded, and the dotless ı one with i (sre holds I, i, İ
    # and ı equal; casefold keeps ı, and İ's combining dot is no word character).
    return unicodedata.normalize("NFC", text).casefold().replace("ı", "i")


def clauses(expression):
    """What every path through the expression says, as clauses: each a set of word runs one of which it says.

    A text chunk says each of its words; a sequence (or a permutation) says what each item says; an
    alternative says one of its items: one word of each item's shortest clause, and the words every
    item says. A slot, a rule or an optional says nothing for sure.
    """
    if isinstance(expression, TextChunk):
        return [frozenset([w]) for w in WORD.findall(_fold(expression.text))]
    if isinstance(expression, (ListReference, RuleReference)):
        return []
    if isinstance(expression, Alternative):
        if expression.is_optional or not expression.items:
            return []
        each = [clauses(item) for item in expression.items]
        if any(not c for c in each):
            return []
        singles = [{next(iter(c)) for c in item if len(c) == 1} for item in each]
        shared = [frozenset([w]) for w in sorted(set.intersection(*singles))]
        return shared + [frozenset().union(*(min(item, key=len) for item in each))]
    if isinstance(expression, Group):
        out = []
        for item in expression.items:
            out.extend(c for c in clauses(item) if c not in out)
        return out
    return []


class Shortcut:
    """The intents, and for each template the words a sentence must hold for it to match."""

    def __init__(self, intents: Intents, exhaustive=False):
        self.intents = intents
        self.exhaustive = exhaustive
        # Every template in hassil's own order: (intent, its data, the template, the words said for
        # sure, the clauses of alternatives).
        self._templates = []
        # Each template under one word it says for sure (a sentence without that word skips it at
        # once), or under None when it says none.
        self._by_word = {}
        self.parsed = {}
        words = set()
        for intent in intents.intents.values():
            for data in intent.data:
                for sentence in data.sentences:
                    need = clauses(sentence.expression)
                    singles = frozenset(next(iter(c)) for c in need if len(c) == 1)
                    anchor = max(singles, key=len) if singles else None
                    self._by_word.setdefault(anchor, []).append(len(self._templates))
                    self._templates.append((intent, data, sentence, singles, tuple(c for c in need if len(c) > 1)))
                    self.parsed.setdefault(sentence.text, sentence)
                    for clause in need:
                        words |= clause
        self._words = sorted(words)

    def candidates(self, text):
        """The intents cut to the templates whose words `text` holds (in hassil's own order)."""
        if self.exhaustive:
            return self.intents
        said = "".join(WORD.findall(_fold(text)))
        present = {w for w in self._words if w in said}
        near = sorted(i for w in (None, *present) for i in self._by_word.get(w, ()))
        kept = {}
        for i in near:
            intent, data, sentence, singles, alternatives = self._templates[i]
            if singles <= present and all(not c.isdisjoint(present) for c in alternatives):
                datas = kept.setdefault(intent.name, (intent, {}))[1]
                datas.setdefault(id(data), (data, []))[1].append(sentence)
        intents = {}
        for name, (intent, datas) in kept.items():
            cut = []
            for data, sentences in datas.values():
                part = replace(data)
                # IntentData parses and sorts its templates once (a cached property): the cut keeps
                # the parsed templates, in their sorted order, rather than parse them again.
                part.__dict__["sentences"] = sentences
                cut.append(part)
            intents[name] = replace(intent, data=cut)
        return replace(self.intents, intents=intents)

    def recognize_all(self, text):
        return recognize_all(text, self.candidates(text))

    def recognize_best(self, text):
        return recognize_best(text, self.candidates(text))


# The last Shortcuts this python made or read, by their key's digest: a python that hears request
# after request (hassilServer.py) keeps each template parsed, and its regex compiled, for the next.
_KEPT_HERE = {}
_KEEP_HERE = 8


def shortcut_of(build, key, exhaustive=False):
    """`build()`'s intents as a Shortcut, read from `HASSIL_CACHE` when one was kept for `key` (JSON)."""
    folder = os.environ.get("HASSIL_CACHE")
    # Every template, as hassil has it: parsed here, not read back, so a kept file at fault shows.
    if not folder or exhaustive:
        return Shortcut(build(), exhaustive)
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    if digest in _KEPT_HERE:
        _KEPT_HERE[digest] = _KEPT_HERE.pop(digest)  # now the most recent
        return _KEPT_HERE[digest]
    shortcut = _shortcut_kept_in(folder, digest, build)
    _KEPT_HERE[digest] = shortcut
    while len(_KEPT_HERE) > _KEEP_HERE:
        del _KEPT_HERE[next(iter(_KEPT_HERE))]
    return shortcut


def _shortcut_kept_in(folder, digest, build):
    """The Shortcut kept in the run's folder under `digest`, or built and kept there for the next python."""
    kept = os.path.join(folder, f"{digest}.pickle")
    try:
        with open(kept, "rb") as f:
            shortcut = pickle.load(f)
    except FileNotFoundError:
        shortcut = Shortcut(build())
        # Deep templates: pickle walks each expression's tree.
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
        # Written aside and renamed: another python reading it at the same moment reads all of it or none.
        fd, part = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(shortcut, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, kept)
    return shortcut
