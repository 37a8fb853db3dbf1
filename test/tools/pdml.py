"""pdml.py - reading tshark's PDML (`tshark -T pdml`), shared by the two oracles (tshark-oracle.py for TLS over TCP,
quic-oracle.py for QUIC).

PDML keeps every dissected field in wire order as a <field name= show= value=> element nested under its parent; these
helpers find fields by their tshark name and turn tshark's "show" strings into numbers. They interpret nothing about
TLS beyond where tshark puts an extension's type, so both oracles stay reductions of tshark's own decode.
"""
import os
import subprocess
import tempfile


def num(s):
    """tshark 'show' value -> int ('0x0303', '22', '0x001d'); None when empty or not a number."""
    if s is None or s == "":
        return None
    try:
        return int(s, 0)
    except ValueError:
        try:
            return int(s, 16)
        except ValueError:
            return None


def fname(e):
    return e.get("name", "")


def children(e):
    """The fields directly under e."""
    return [c for c in e if c.tag == "field"]


def first(e, name):
    """The first field called `name` anywhere under e (document order)."""
    for c in e.iter("field"):
        if fname(c) == name:
            return c
    return None


def first_show(e, name):
    c = first(e, name)
    return None if c is None else c.get("show")


def all_fields(e, name):
    return [c for c in e.iter("field") if fname(c) == name]


def all_show(e, name):
    return [c.get("show") for c in all_fields(e, name)]


def own_show(e, name):
    """The value of a field that is a direct child of e."""
    for c in children(e):
        if fname(c) == name:
            return c.get("show")
    return None


def raw(e, name):
    """The raw bytes of the first field called `name`, lower-case hex (tshark's value, or its show without colons)."""
    c = first(e, name)
    if c is None:
        return None
    v = c.get("value")
    if v is None:
        v = (c.get("show") or "").replace(":", "")
    return v.lower()


def extensions(msg):
    """(type, node) of each extension of one handshake message, in wire order."""
    out = []
    for c in msg.iter("field"):
        if fname(c) == "" and (c.get("show") or "").startswith("Extension:"):
            t = num(own_show(c, "tls.handshake.extension.type"))
            if t is not None:
                out.append((t, c))
    return out


def ext_values(exts, etype, field, conv=num):
    """Every value of `field` inside the extensions of type `etype` (converted by `conv` unless it is None)."""
    vals = []
    for t, node in exts:
        if t == etype:
            vals += [conv(v) if conv else v for v in all_show(node, field)]
    return vals


def tshark_env(prefix):
    """An environment in which tshark reads an empty configuration directory, so no user preference changes its decode."""
    return dict(os.environ, WIRESHARK_CONFIG_DIR=tempfile.mkdtemp(prefix=prefix), LC_ALL="C")


def tshark_version():
    return subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0].strip()
