"""The voice tests' python, kept for request after request: haVoiceBlueprint.py and hassilMatch.py run here as they run alone.

  python hassilServer.py < requests

Each line in is a request, {"script": "haVoiceBlueprint.py" | "hassilMatch.py", "args": [...], "input":
"<what the script reads on its standard input>"}; each line out answers the one before it, {"out":
"<what the script printed>"} or {"error": "<why it failed>"}. A python started for each request pays
its start, hassil's import and the family's templates parsed and compiled to regexes (seconds for the
German lines) every time; this one pays them once (hassilShortcut.py keeps the templates it has read).
It ends when its standard input does: the test process that started it has gone.
"""
import contextlib
import importlib
import io
import json
import sys
import traceback

SCRIPTS = {"haVoiceBlueprint.py": "haVoiceBlueprint", "hassilMatch.py": "hassilMatch"}


def run(request):
    name = request.get("script")
    if name not in SCRIPTS:
        return {"error": f"no script {name!r} here: one of {', '.join(SCRIPTS)}"}
    script = importlib.import_module(SCRIPTS[name])
    out = io.StringIO()
    sys.argv = [name, *request.get("args", [])]
    sys.stdin = io.StringIO(request.get("input", ""))
    try:
        with contextlib.redirect_stdout(out):
            script.main()
    except SystemExit as stop:
        # A script says what was wrong by exiting with it, as it does alone (0 or None: it ended well).
        if stop.code not in (None, 0):
            return {"error": str(stop.code)}
    except Exception:  # noqa: BLE001 - the test reads the traceback, as it would from a python alone
        return {"error": traceback.format_exc()}
    return {"out": out.getvalue()}


def serve(requests, answers):
    for line in requests:
        if not line.strip():
            continue
        try:
            answer = run(json.loads(line))
        except ValueError as err:
            answer = {"error": f"a request that is not JSON: {err}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
