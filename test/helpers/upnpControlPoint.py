#!/usr/bin/python3
"""A real, independent UPnP control point for the renderer tests: GUPnP (GNOME's UPnP library, from
Debian's gir1.2-gupnp-1.6), driven over stdin/stdout with one JSON object a line.

It searches by SSDP (for a MediaRenderer, or the device type given as its argument) on the loopback interface only (M-SEARCH to the group on `lo`, which never
leaves the machine), reads the renderer's description and SCPDs itself, calls actions with SOAP and
subscribes to events with GENA, as Home Assistant's DLNA integration does through its own library.

Commands (stdin):  {"id": 1, "cmd": "find", "udn": "uuid:…"}
                   {"id": 2, "cmd": "call", "service": "AVTransport", "action": "Play", "args": {"InstanceID": "0", "Speed": "1"}, "out": ["…"]}
                   {"id": 3, "cmd": "subscribe", "service": "AVTransport", "variable": "LastChange"}
Answers (stdout):  {"id": 1, "ok": true, …} or {"id": 1, "ok": false, "error": "…", "code": 701}
Events (stdout):   {"event": "notify", "service": "AVTransport", "variable": "LastChange", "value": "…"}
"""

import json
import sys

import gi

gi.require_version("GSSDP", "1.6")
gi.require_version("GUPnP", "1.6")
from gi.repository import GLib, GObject, GSSDP, GUPnP  # noqa: E402

SERVICE_TYPES = {
    "AVTransport": "urn:schemas-upnp-org:service:AVTransport:1",
    "RenderingControl": "urn:schemas-upnp-org:service:RenderingControl:1",
    "ConnectionManager": "urn:schemas-upnp-org:service:ConnectionManager:1",
    "ContentDirectory": "urn:schemas-upnp-org:service:ContentDirectory:1",
}
# What to look for: a renderer unless the first argument names another device type (a MediaServer).
TARGET = sys.argv[1] if len(sys.argv) > 1 else "urn:schemas-upnp-org:device:MediaRenderer:1"

devices = {}
waiting = {}
services = {}


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def on_device(_cp, proxy):
    udn = proxy.get_udn()
    devices[udn] = proxy
    say({"event": "found", "udn": udn, "location": proxy.get_location(), "name": proxy.get_friendly_name()})
    for request_id in waiting.pop(udn, []):
        answer_found(request_id, proxy)


def answer_found(request_id, proxy):
    say({"id": request_id, "ok": True, "udn": proxy.get_udn(), "name": proxy.get_friendly_name(),
         "model": proxy.get_model_name(), "location": proxy.get_location()})


def service_of(udn, key):
    # One proxy per service, kept: a subscribed proxy that is collected stops taking its events.
    if (udn, key) in services:
        return services[(udn, key)]
    proxy = devices[udn]
    found = proxy.get_service(SERVICE_TYPES[key])
    if found is None:
        raise KeyError(f"{udn} has no {key}")
    services[(udn, key)] = found
    return found


def call(request):
    udn = request["udn"]
    service = service_of(udn, request["service"])
    args = request.get("args", {})
    action = GUPnP.ServiceProxyAction.new_from_list(
        request["action"], list(args.keys()), [GObject.Value(GObject.TYPE_STRING, str(v)) for v in args.values()]
    )
    try:
        service.call_action(action, None)
        out_names = request.get("out", [])
        ok, values = action.get_result_list(out_names, [GObject.TYPE_STRING] * len(out_names))
        say({"id": request["id"], "ok": True, "out": dict(zip(out_names, values or []))})
    except GLib.Error as err:
        say({"id": request["id"], "ok": False, "code": err.code, "error": err.message})


def subscribe(request):
    udn = request["udn"]
    key = request["service"]
    service = service_of(udn, key)
    variable = request.get("variable", "LastChange")

    def notified(_proxy, name, value, _user):
        say({"event": "notify", "service": key, "variable": name, "value": value})

    service.add_notify(variable, GObject.TYPE_STRING, notified, None)
    service.connect("subscription-lost", lambda _p, err: say({"event": "lost", "service": key, "error": err.message}))
    service.set_subscribed(True)
    say({"id": request["id"], "ok": True})


def on_line(channel, _condition):
    line = channel.readline()
    if not line:
        loop.quit()
        return False
    request = json.loads(line)
    try:
        if request["cmd"] == "find":
            proxy = devices.get(request["udn"])
            if proxy:
                answer_found(request["id"], proxy)
            else:
                waiting.setdefault(request["udn"], []).append(request["id"])
        elif request["cmd"] == "call":
            call(request)
        elif request["cmd"] == "subscribe":
            subscribe(request)
        elif request["cmd"] == "quit":
            loop.quit()
            return False
    except Exception as err:  # the test reads the failure; the control point goes on
        say({"id": request.get("id"), "ok": False, "error": f"{type(err).__name__}: {err}"})
    return True


context = GUPnP.Context.new_full("lo", None, 0, GSSDP.UDAVersion.VERSION_1_0)
control_point = GUPnP.ControlPoint.new(context, TARGET)
control_point.connect("device-proxy-available", on_device)
control_point.set_active(True)
loop = GLib.MainLoop()
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_line)
say({"event": "ready", "host": context.get_host_ip()})
loop.run()
