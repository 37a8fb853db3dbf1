#!/usr/bin/env python3
"""quic-oracle.py - tshark's decode of a QUIC capture reduced to a compact JSON oracle.

usage: quic-oracle.py CAPTURE [--keylog FILE] > NAME.tshark.json
       quic-oracle.py --all DIR      (every DIR/*.pcap[ng]: NAME.tshark.json with NAME.keylog when there is one,
                                      and NAME.no-keylog.tshark.json for ngtcp2-v1 without it)

Everything in the output is read from tshark's own dissection (`tshark -T pdml`): QUIC packets (header fields, the
packet number tshark recovered, whether it decrypted the payload, each frame with its fields) and the TLS handshake
messages tshark found in the CRYPTO frames (with the fields the tests compare, named as in the project's JSON spec).
The script only regroups tshark's fields per QUIC connection (tshark's quic.connection.number); it decodes nothing
itself. tshark finds QUIC by its heuristic on any UDP port (no "decode as"); it runs with an empty configuration
directory so that no user preference changes the result. The options used are recorded ("tsharkOptions").
"""
import glob, hashlib, json, os, subprocess, sys
import xml.etree.ElementTree as ET

from pdml import all_fields, all_show, ext_values, extensions, first_show, num, own_show, raw, tshark_env, tshark_version

HS_NAMES = {1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket", 5: "EndOfEarlyData", 8: "EncryptedExtensions",
            11: "Certificate", 13: "CertificateRequest", 15: "CertificateVerify", 20: "Finished", 24: "KeyUpdate"}
LONG_TYPES_V1 = {0: "Initial", 1: "0-RTT", 2: "Handshake", 3: "Retry"}
# RFC 9369 §3.2: v2 rotates the long packet types.
LONG_TYPES_V2 = {1: "Initial", 2: "0-RTT", 3: "Handshake", 0: "Retry"}
V2 = 0x6B3343CF


def transport_parameters(exts):
    out = []
    for t, node in exts:
        if t not in (57, 0xFFA5):
            continue
        for p in node.iter("field"):
            if p.get("name") == "" and (p.get("show") or "").startswith("Parameter:"):
                pid = num(own_show(p, "tls.quic.parameter.type"))
                length = num(own_show(p, "tls.quic.parameter.length"))
                value = None
                for c in p:
                    if c.tag == "field" and c.get("name") == "tls.quic.parameter.value":
                        value = (c.get("value") or "").lower()
                # Ids beyond 2^53 (GREASE ids may reach 2^62) are written as decimal strings: a JSON reader
                # whose numbers are doubles would round them.
                out.append({"id": pid if pid is None or pid < 2**53 else str(pid), "length": length,
                            "value": value if value is not None else ""})
    return out


def message_fields(t, msg):
    f = {}
    exts = extensions(msg)
    if t in (1, 2):
        f["legacyVersion"] = num(first_show(msg, "tls.handshake.version"))
        f["random"] = raw(msg, "tls.handshake.random")
        f["sessionId"] = raw(msg, "tls.handshake.session_id") or ""
        f["extensions"] = [e for e, _ in exts]
    if t == 1:
        f["cipherSuites"] = [num(v) for v in all_show(msg, "tls.handshake.ciphersuite")]
        f["compressionMethods"] = [num(v) for v in all_show(msg, "tls.handshake.comp_method")]
        sni = ext_values(exts, 0, "tls.handshake.extensions_server_name", None)
        f["sni"] = sni[0] if sni else None
        f["alpn"] = ext_values(exts, 16, "tls.handshake.extensions_alpn_str", None)
        f["supportedVersions"] = ext_values(exts, 43, "tls.handshake.extensions.supported_version")
        f["supportedGroups"] = ext_values(exts, 10, "tls.handshake.extensions_supported_group")
        f["keyShareGroups"] = ext_values(exts, 51, "tls.handshake.extensions_key_share_group")
        f["signatureAlgorithms"] = ext_values(exts, 13, "tls.handshake.sig_hash_alg")
    elif t == 2:
        f["cipherSuite"] = num(first_show(msg, "tls.handshake.ciphersuite"))
        f["compressionMethod"] = num(first_show(msg, "tls.handshake.comp_method"))
        sv = ext_values(exts, 43, "tls.handshake.extensions.supported_version")
        f["selectedVersion"] = sv[0] if sv else None
        ks = ext_values(exts, 51, "tls.handshake.extensions_key_share_group") or \
            ext_values(exts, 51, "tls.handshake.extensions_key_share_selected_group")
        f["keyShareGroup"] = ks[0] if ks else None
    elif t == 4:
        f["lifetime"] = num(first_show(msg, "tls.handshake.session_ticket_lifetime_hint"))
        f["ticketLength"] = num(first_show(msg, "tls.handshake.session_ticket_length"))
    elif t == 8:
        f["extensions"] = [e for e, _ in exts]
        alpn = ext_values(exts, 16, "tls.handshake.extensions_alpn_str", None)
        f["alpn"] = alpn[0] if alpn else None
    elif t == 11:
        f["certificates"] = [{"sha256": hashlib.sha256(bytes.fromhex((c.get("value") or "").lower())).hexdigest(),
                              "length": len(c.get("value") or "") // 2}
                             for c in msg.iter("field") if c.get("name") == "tls.handshake.certificate"]
    elif t == 15:
        f["signatureAlgorithm"] = num(first_show(msg, "tls.handshake.sig_hash_alg"))
    if t in (1, 8):
        tp = transport_parameters(exts)
        if tp:
            f["quicTransportParameters"] = tp
    return f


# QUIC frame fields kept per frame type (tshark field name -> oracle key).
FRAME_FIELDS = {
    "quic.padding_length": "length",
    "quic.ack.largest_acknowledged": "largest",
    "quic.ack.ack_delay": "delay",
    "quic.ack.ack_range_count": "rangeCount",
    "quic.ack.first_ack_range": "firstRange",
    "quic.ack.gap": "gaps",
    "quic.ack.ack_range": "ranges",
    "quic.ack.ect0_count": "ect0",
    "quic.ack.ect1_count": "ect1",
    "quic.ack.ecn_ce_count": "ce",
    "quic.crypto.offset": "offset",
    "quic.crypto.length": "length",
    "quic.stream.stream_id": "streamId",
    "quic.stream.offset": "offset",
    "quic.stream.length": "length",
    "quic.stream.fin": "fin",
    "quic.nt.length": "length",
    "quic.md.maximum_data": "maximum",
    "quic.msd.stream_id": "streamId",
    "quic.msd.maximum_stream_data": "maximum",
    "quic.ms.max_streams": "maximum",
    "quic.nci.sequence": "sequence",
    "quic.nci.retire_prior_to": "retirePriorTo",
    "quic.nci.connection_id.length": "cidLength",
    "quic.nci.connection_id": "cid",
    "quic.nci.stateless_reset_token": "resetToken",
    "quic.rci.sequence": "sequence",
    "quic.path_challenge.data": "data",
    "quic.path_response.data": "data",
    "quic.cc.error_code": "errorCode",
    "quic.cc.error_code.app": "errorCode",
    "quic.cc.frame_type": "frameType",
    "quic.cc.reason_phrase.length": "reasonLength",
    "quic.rsts.stream_id": "streamId",
    "quic.rsts.application_error_code": "errorCode",
    "quic.rsts.final_size": "finalSize",
    "quic.ss.stream_id": "streamId",
    "quic.ss.application_error_code": "errorCode",
    "quic.dg.length": "length",
}
HEX_FIELDS = {"quic.nci.connection_id", "quic.nci.stateless_reset_token", "quic.path_challenge.data",
              "quic.path_response.data"}
LIST_FIELDS = {"quic.ack.gap", "quic.ack.ack_range"}


def frame_entry(fr):
    ftype = num(own_show(fr, "quic.frame_type"))
    out = {"type": ftype}
    for c in fr.iter("field"):
        n = c.get("name")
        if n in FRAME_FIELDS and c is not fr:
            key = FRAME_FIELDS[n]
            if n in HEX_FIELDS:
                v = (c.get("value") or "").lower()
            elif n == "quic.stream.fin":
                v = c.get("show") in ("1", "True")
            else:
                v = num(c.get("show"))
            if n in LIST_FIELDS:
                out.setdefault(key, []).append(v)
            elif key not in out:
                out[key] = v
    return out


def packet_type(q, version):
    if first_show(q, "quic.header_form") == "0":
        return "1-RTT"
    if version == 0:
        return "VersionNegotiation"
    t = num(own_show(q, "quic.long.packet_type_v2" if version == V2 else "quic.long.packet_type"))
    return (LONG_TYPES_V2 if version == V2 else LONG_TYPES_V1).get(t, f"type{t}")


def reduce(path, keylog):
    env = tshark_env("quic-oracle-")
    prefs = ["-o", f"tls.keylog_file:{os.path.abspath(keylog)}"] if keylog else []
    p = subprocess.run(["tshark", "-r", path, "-n"] + prefs + ["-T", "pdml", "-J", "frame ip ipv6 udp quic tls"],
                       capture_output=True, env=env)
    version = tshark_version()
    root = ET.fromstring(p.stdout)
    conns = {}
    packets = 0
    for pkt in root.iter("packet"):
        packets += 1
        frame = src = dst = sport = dport = None
        for proto in pkt.findall("proto"):
            n = proto.get("name")
            if n == "geninfo":
                frame = num(first_show(proto, "num"))
            elif n in ("ip", "ipv6"):
                src, dst = first_show(proto, f"{n}.src"), first_show(proto, f"{n}.dst")
            elif n == "udp":
                sport, dport = num(first_show(proto, "udp.srcport")), num(first_show(proto, "udp.dstport"))
        cnum = None
        for q in pkt.findall("proto"):
            if q.get("name") != "quic":
                continue
            cn = first_show(q, "quic.connection.number")
            if cn is not None:
                cnum = num(cn)
            if cnum is None:
                continue
            c = conns.setdefault(cnum, {"connection": cnum, "client": None, "server": None,
                                        "packets": [], "messages": []})
            sender = (src, sport)
            if c["client"] is None:
                c["client"], c["server"] = (src, sport), (dst, dport)
            d = "c2s" if sender == c["client"] else "s2c"
            ver = num(own_show(q, "quic.version"))
            ptype = packet_type(q, ver)
            frames = [frame_entry(fr) for fr in q if fr.tag == "field" and fr.get("name") == "quic.frame"]
            entry = {"dir": d, "frame": frame, "type": ptype, "version": ver if ptype != "1-RTT" else None,
                     "dcid": raw(q, "quic.dcid") or "",
                     "scid": (raw(q, "quic.scid") or "") if ptype != "1-RTT" else None,
                     "packetNumber": num(first_show(q, "quic.packet_number")),
                     "length": num(own_show(q, "quic.packet_length")),
                     # A decrypted payload holds at least one frame (RFC 9000 §12.4); tshark lists frames only then.
                     "decrypted": bool(frames),
                     "frames": frames}
            if ptype == "1-RTT":
                kp = first_show(q, "quic.key_phase")
                entry["keyPhase"] = kp in ("1", "True") if kp is not None else None
            if ptype == "Retry":
                tag = [f for f in all_fields(q, "quic.retry_integrity_tag")]
                entry["retryTagVerified"] = bool(tag) and "[verified]" in (tag[0].get("showname") or "")
                entry["token"] = raw(q, "quic.retry_token")
            if ptype == "VersionNegotiation":
                entry["supportedVersions"] = [num(v) for v in all_show(q, "quic.supported_version")]
            if ptype == "Initial":
                entry["tokenLength"] = num(own_show(q, "quic.token_length"))
            c["packets"].append(entry)
            space = {"Initial": "initial", "Handshake": "handshake"}.get(ptype, "application")
            for fr in q:
                if fr.tag != "field" or fr.get("name") != "quic.frame":
                    continue
                for tls in fr.iter("proto"):
                    if tls.get("name") != "tls":
                        continue
                    for hs in tls.iter("field"):
                        if hs.get("name") != "tls.handshake":
                            continue
                        t = num(own_show(hs, "tls.handshake.type"))
                        if t is None:
                            continue
                        c["messages"].append({"dir": d, "type": t, "name": HS_NAMES.get(t, f"Unknown({t})"),
                                              "length": num(own_show(hs, "tls.handshake.length")), "frame": frame,
                                              "space": space, "encrypted": space != "initial",
                                              "fields": message_fields(t, hs)})
    out_conns = []
    for n in sorted(conns):
        c = conns[n]
        msgs = c["messages"]
        sh = [m for m in msgs if m["type"] == 2]
        ch = [m for m in msgs if m["type"] == 1]
        ee = [m for m in msgs if m["type"] == 8]
        out_conns.append({
            "connection": n,
            "client": {"ip": c["client"][0], "port": c["client"][1]},
            "server": {"ip": c["server"][0], "port": c["server"][1]},
            "version": (sh[-1]["fields"].get("selectedVersion") or sh[-1]["fields"].get("legacyVersion")) if sh else None,
            "cipherSuite": sh[-1]["fields"].get("cipherSuite") if sh else None,
            "sni": ch[0]["fields"].get("sni") if ch else None,
            "alpn": ee[0]["fields"].get("alpn") if ee else None,
            "decrypted": any(m["encrypted"] for m in msgs),
            "packets": c["packets"], "messages": msgs})
    return {"oracle": "tshark", "tshark": version, "capture": os.path.basename(path),
            "keylog": os.path.basename(keylog) if keylog else None,
            "tsharkOptions": [f"tls.keylog_file:{os.path.basename(keylog)}"] if keylog else [],
            "packets": packets, "connections": out_conns}


def write(path, keylog, out):
    with open(out, "w") as f:
        json.dump(reduce(path, keylog), f, indent=1)
        f.write("\n")
    print(f"wrote {out}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--all":
        d = sys.argv[2]
        for cap in sorted(glob.glob(os.path.join(d, "*.pcap")) + glob.glob(os.path.join(d, "*.pcapng"))):
            name = os.path.splitext(cap)[0]
            kl = name + ".keylog"
            # The DSB capture carries its secrets inside: tshark reads them with no key log option.
            write(cap, kl if os.path.exists(kl) else None, name + ".tshark.json")
            if os.path.basename(name) == "ngtcp2-v1":
                write(cap, None, name + ".no-keylog.tshark.json")
        return
    args = sys.argv[1:]
    keylog = None
    if "--keylog" in args:
        i = args.index("--keylog")
        keylog = args[i + 1]
        del args[i:i + 2]
    json.dump(reduce(args[0], keylog), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
