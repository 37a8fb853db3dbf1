#!/usr/bin/env python3
"""tshark-oracle.py - reduce tshark's decode of a capture to a compact, stable JSON oracle.

usage: tshark-oracle.py CAPTURE [--keylog FILE] [--rsa-key PEM] [--tls-port PORT] [--decode-as PORT,PROTO] > NAME.tshark.json

The reduction ../shared/fixtures/tools/oracle.py made the shared fixtures' oracles with, kept in the project so that
the interop tests (test/interop) need nothing outside it at run time (its PDML helpers in pdml.py, shared with
quic-oracle.py), plus --decode-as: tshark dissects a
plaintext preamble (HTTP CONNECT, SOCKS, SMTP/IMAP/POP3/FTP/LDAP/PostgreSQL STARTTLS) only on the protocol's
registered port, and the tests' servers listen on free ports.

Everything protocol-related in the output is read from tshark's own dissection
(`tshark -T pdml`, which keeps every field in wire order with its raw bytes),
plus one `tshark -T fields` pass for the decrypted application data. The script
only regroups tshark's fields per TCP stream and direction; it decodes nothing
itself, except the subject/issuer strings of certificates, which are formatted
(RFC 4514, via pyca/cryptography) from the DER bytes tshark extracted.
Field names follow ../../spec/inspect-json.md where the two overlap.

tshark runs with an empty configuration directory so that user preferences
cannot change the result. Preferences set: the key log / RSA key when given,
tcp.reassemble_out_of_order:TRUE (off by default in 4.0; without it tshark drops
a ClientHello whose segments arrive out of order), and, with --tls-port, a
"decode as TLS" for that port (tshark's TLS heuristic needs a whole record header
in the first segment; it misses a stream whose first segment is 1 byte long).
The options used are recorded in the output ("tsharkOptions").
"""
import argparse, hashlib, json, os, subprocess, sys
import xml.etree.ElementTree as ET

from pdml import all_show, children, ext_values, extensions, first, first_show, fname, num, raw, tshark_env, tshark_version

HS_NAMES = {0: "HelloRequest", 1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket", 5: "EndOfEarlyData",
            8: "EncryptedExtensions", 11: "Certificate", 12: "ServerKeyExchange", 13: "CertificateRequest",
            14: "ServerHelloDone", 15: "CertificateVerify", 16: "ClientKeyExchange", 20: "Finished",
            21: "CertificateURL", 22: "CertificateStatus", 24: "KeyUpdate", 25: "CompressedCertificate", 254: "MessageHash"}
HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"


def run_tshark(args, env):
    p = subprocess.run(["tshark"] + args, capture_output=True, env=env)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def capinfos(path):
    p = subprocess.run(["capinfos", "-M", path], capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    info, ifaces = {}, []
    for line in p.stdout.splitlines():
        if ":" in line:
            k, v = [x.strip() for x in line.split(":", 1)]
            info.setdefault(k, v)
        elif line.strip().startswith("Encapsulation = "):
            ifaces.append(line.split("=", 1)[1].strip())
    n = lambda k: num(info[k].replace(" ", "")) if info.get(k) else None
    out = {"fileType": info.get("File type"), "encapsulation": info.get("File encapsulation"),
           "interfaceEncapsulations": ifaces,
           "timestampPrecision": info.get("File timestamp precision"),
           "interfaces": n("Number of interfaces in file"), "packets": n("Number of packets"),
           "decryptionSecrets": n("Number of decryption secrets in file") or 0}
    if p.returncode != 0:
        msg = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"
        out["capinfosError"] = msg.replace(os.path.abspath(path), os.path.basename(path)).replace(path, os.path.basename(path))
    return out


def cert_entry(der_hex):
    der = bytes.fromhex(der_hex)
    ent = {"sha256": hashlib.sha256(der).hexdigest(), "length": len(der)}
    try:
        from cryptography import x509
        c = x509.load_der_x509_certificate(der)
        ent["subject"] = c.subject.rfc4514_string()
        ent["issuer"] = c.issuer.rfc4514_string()
    except Exception as ex:  # keep going: tshark still gave us the bytes
        ent["subject"] = ent["issuer"] = None
        ent["parseError"] = str(ex)[:120]
    return ent


def message_fields(t, msg, tls13_server_hello):
    """Key fields of one handshake message (PDML element tls.handshake)."""
    f = {}
    exts = extensions(msg)
    if t in (1, 2):
        f["legacyVersion"] = num(first_show(msg, "tls.handshake.version"))
        f["random"] = raw(msg, "tls.handshake.random")
        f["sessionId"] = raw(msg, "tls.handshake.session_id") or ""
    if t == 1:
        f["cipherSuites"] = [num(v) for v in all_show(msg, "tls.handshake.ciphersuite")]
        f["compressionMethods"] = [num(v) for v in all_show(msg, "tls.handshake.comp_method")]
        f["extensions"] = [e for e, _ in exts]
        sni = ext_values(exts, 0, "tls.handshake.extensions_server_name", None)
        f["sni"] = sni[0] if sni else None
        f["alpn"] = ext_values(exts, 16, "tls.handshake.extensions_alpn_str", None)
        f["supportedVersions"] = ext_values(exts, 43, "tls.handshake.extensions.supported_version")
        f["supportedGroups"] = ext_values(exts, 10, "tls.handshake.extensions_supported_group")
        f["keyShareGroups"] = ext_values(exts, 51, "tls.handshake.extensions_key_share_group")
        f["signatureAlgorithms"] = ext_values(exts, 13, "tls.handshake.sig_hash_alg")
        sac = ext_values(exts, 50, "tls.handshake.sig_hash_alg")
        if sac:
            f["signatureAlgorithmsCert"] = sac
        modes = ext_values(exts, 45, "tls.extension.psk_ke_mode")
        if modes:
            f["pskKeyExchangeModes"] = modes
        ids = ext_values(exts, 41, "tls.handshake.extensions.psk.identity.identity_length")
        if ids:
            f["pskIdentityLengths"] = ids
        pad = [n for e, n in exts if e == 21]
        if pad:
            f["paddingLength"] = num(first_show(pad[0], "tls.handshake.extension.len"))
        st = [n for e, n in exts if e == 35]
        if st:
            f["sessionTicketLength"] = num(first_show(st[0], "tls.handshake.extension.len"))
    elif t == 2:
        f["cipherSuite"] = num(first_show(msg, "tls.handshake.ciphersuite"))
        f["compressionMethod"] = num(first_show(msg, "tls.handshake.comp_method"))
        f["extensions"] = [e for e, _ in exts]
        sv = ext_values(exts, 43, "tls.handshake.extensions.supported_version")
        f["selectedVersion"] = sv[0] if sv else None
        ks = ext_values(exts, 51, "tls.handshake.extensions_key_share_group") or \
            ext_values(exts, 51, "tls.handshake.extensions_key_share_selected_group")
        f["keyShareGroup"] = ks[0] if ks else None
        alpn = ext_values(exts, 16, "tls.handshake.extensions_alpn_str", None)
        if alpn:
            f["alpn"] = alpn[0]
        psk = ext_values(exts, 41, "tls.handshake.extensions.psk.identity.selected")
        if psk:
            f["selectedIdentity"] = psk[0]
    elif t == 4:
        f["lifetime"] = num(first_show(msg, "tls.handshake.session_ticket_lifetime_hint"))
        f["ticketLength"] = num(first_show(msg, "tls.handshake.session_ticket_length"))
        aa = first_show(msg, "tls.handshake.session_ticket_age_add")
        if aa is not None:
            f["ageAdd"] = num(aa)
            f["nonce"] = raw(msg, "tls.handshake.session_ticket_nonce") or ""
            f["extensions"] = [e for e, _ in exts]
    elif t == 8:
        f["extensions"] = [e for e, _ in exts]
        alpn = ext_values(exts, 16, "tls.handshake.extensions_alpn_str", None)
        f["alpn"] = alpn[0] if alpn else None
    elif t == 11:
        ctx = first_show(msg, "tls.handshake.certificate_request_context_length")
        if ctx is not None:
            f["requestContextLength"] = num(ctx)
        f["certificates"] = [cert_entry((c.get("value") or "").lower())
                             for c in msg.iter("field") if fname(c) == "tls.handshake.certificate"]
    elif t == 12:
        f["curveType"] = num(first_show(msg, "tls.handshake.server_curve_type"))
        f["namedGroup"] = num(first_show(msg, "tls.handshake.server_named_curve"))
        f["signatureAlgorithm"] = num(first_show(msg, "tls.handshake.sig_hash_alg"))
        pl = first_show(msg, "tls.handshake.server_point_len")
        if pl is not None:
            f["publicKeyLength"] = num(pl)
        p = first_show(msg, "tls.handshake.p_len")
        if p is not None:
            f["dhPLength"] = num(p)
            f["dhGLength"] = num(first_show(msg, "tls.handshake.g_len"))
            f["dhYsLength"] = num(first_show(msg, "tls.handshake.ys_len"))
        sl = first_show(msg, "tls.handshake.sig_len")
        if sl is not None:
            f["signatureLength"] = num(sl)
    elif t == 13:
        f["certificateTypes"] = [num(v) for v in all_show(msg, "tls.handshake.cert_type")]
        f["signatureAlgorithms"] = [num(v) for v in all_show(msg, "tls.handshake.sig_hash_alg")]
        dn = first_show(msg, "tls.handshake.dnames_len")
        if dn is not None:
            f["distinguishedNamesLength"] = num(dn)
        if exts:
            f["extensions"] = [e for e, _ in exts]
    elif t == 15:
        f["signatureAlgorithm"] = num(first_show(msg, "tls.handshake.sig_hash_alg"))
        sl = first_show(msg, "tls.handshake.client_cert_vrfy.sig_len")
        if sl is not None:
            f["signatureLength"] = num(sl)
    elif t == 16:
        for fld, kind in (("tls.handshake.client_point_len", "ecdh"), ("tls.handshake.epms_len", "rsa"),
                          ("tls.handshake.yc_len", "dh")):
            v = first_show(msg, fld)
            if v is not None:
                f["exchangeLength"] = num(v)
                f["exchangeKind"] = kind
                break
    elif t == 20:
        f["verifyData"] = raw(msg, "tls.handshake.verify_data")
    elif t == 24:
        f["requestUpdate"] = num(first_show(msg, "tls.handshake.key_update.request_update"))
    return f


# ---------------------------------------------------------------- main reduction
def reduce(path, keylog, rsa_key, tls_ports=(), decode_as=()):
    env = tshark_env("oracle-wsconf-")
    prefs = ["-o", "tcp.reassemble_out_of_order:TRUE"]
    for p in tls_ports:
        prefs += ["-d", f"tcp.port=={p},tls"]
    for spec in decode_as:
        port, proto = spec.split(",", 1)
        prefs += ["-d", f"tcp.port=={int(port)},{proto}"]
    if keylog:
        prefs += ["-o", f"tls.keylog_file:{os.path.abspath(keylog)}"]
    if rsa_key:
        prefs += ["-o", f'uat:rsa_keys:"{os.path.abspath(rsa_key)}",""']
    rc, pdml, err = run_tshark(["-r", path, "-n"] + prefs + ["-T", "pdml", "-J", "frame ip ipv6 tcp tls"], env)
    out = {"oracle": "tshark", "tshark": tshark_version(), "capture": os.path.basename(path),
           "keylog": os.path.basename(keylog) if keylog else None,
           "rsaKey": os.path.basename(rsa_key) if rsa_key else None,
           "tsharkOptions": [x if not x.startswith(("tls.keylog_file:", "uat:rsa_keys:")) else
                             (f"tls.keylog_file:{os.path.basename(keylog)}" if x.startswith("tls.keylog_file:")
                              else f'uat:rsa_keys:"{os.path.basename(rsa_key)}",""') for x in prefs],
           "file": capinfos(path)}
    base = os.path.basename(path)
    errors = [l.replace(os.path.abspath(path), base).replace(path, base) for l in err.splitlines()
              if l.strip() and "Running as user" not in l and "could be dangerous" not in l]
    if errors or rc != 0:
        out["tsharkErrors"] = errors[:5]
        out["tsharkExit"] = rc
    try:
        root = ET.fromstring(pdml) if pdml.strip() else None
    except ET.ParseError:
        # a truncated file can leave the last <packet> unterminated: keep the complete ones
        text = pdml.decode("utf-8", "replace")
        cut = text.rfind("</packet>")
        root = ET.fromstring(text[:cut + len("</packet>")] + "</pdml>") if cut >= 0 else None
    packets = list(root.iter("packet")) if root is not None else []
    out["packets"] = len(packets)
    streams = {}

    def stream_of(idx):
        if idx not in streams:
            streams[idx] = {"stream": idx, "client": None, "server": None, "first": None,
                            "records": [], "messages": [], "alerts": [], "ccsSeen": set(), "tcp": []}
        return streams[idx]

    for pkt in packets:
        frame = None
        src = dst = sport = dport = None
        st = None
        syn = ack = False
        for proto in pkt.findall("proto"):
            n = proto.get("name")
            if n == "geninfo":
                frame = num(first_show(proto, "num"))
            elif n in ("ip", "ipv6"):
                src = first_show(proto, f"{n}.src")
                dst = first_show(proto, f"{n}.dst")
            elif n == "tcp":
                sport = num(first_show(proto, "tcp.srcport"))
                dport = num(first_show(proto, "tcp.dstport"))
                st = stream_of(num(first_show(proto, "tcp.stream")))
                syn = first_show(proto, "tcp.flags.syn") == "1"
                ack = first_show(proto, "tcp.flags.ack") == "1"
                if st["first"] is None:
                    st["first"] = ((src, sport), (dst, dport))
                if syn and not ack and st["client"] is None:
                    st["client"], st["server"] = (src, sport), (dst, dport)
                for a in ("retransmission", "out_of_order", "spurious_retransmission", "fast_retransmission",
                          "duplicate_ack", "lost_segment", "ack_lost_segment"):
                    if first(proto, f"tcp.analysis.{a}") is not None:
                        st["tcp"].append({"frame": frame, "analysis": a})
        if st is None:
            continue
        for proto in pkt.findall("proto"):
            if proto.get("name") != "tls":
                continue
            for rec in children(proto):
                if fname(rec) != "tls.record":
                    continue
                handle_record(st, frame, (src, sport), rec)

    result = []
    for idx in sorted(streams):
        st = streams[idx]
        client = st["client"]
        if client is None:  # no SYN seen: the side that sent a ClientHello, else the first sender
            ch = [m for m in st["messages"] if m["type"] == 1]
            client = ch[0]["_from"] if ch else st["first"][0]
            server = st["first"][1] if st["first"][0] == client else st["first"][0]
        else:
            server = st["server"]
        for lst in (st["records"], st["messages"], st["alerts"]):
            for x in lst:
                x["dir"] = "c2s" if x.pop("_from") == client else "s2c"
        msgs = st["messages"]
        # move dir first for readability
        msgs = [{"dir": m.pop("dir"), **m} for m in msgs]
        recs = [{"dir": r.pop("dir"), **r} for r in st["records"]]
        alerts = [{"dir": a.pop("dir"), **a} for a in st["alerts"]]
        sh = [m for m in msgs if m["type"] == 2 and m["name"] == "ServerHello"]
        version = cipher = None
        if sh:
            version = sh[-1]["fields"].get("selectedVersion") or sh[-1]["fields"].get("legacyVersion")
            cipher = sh[-1]["fields"].get("cipherSuite")
        ch = [m for m in msgs if m["type"] == 1]
        alpn = None
        for m in msgs:
            if m["type"] in (2, 8) and m["dir"] == "s2c" and m["fields"].get("alpn"):
                alpn = m["fields"]["alpn"]
        out_st = {"stream": idx,
                  "client": {"ip": client[0], "port": client[1]},
                  "server": {"ip": server[0], "port": server[1]},
                  "version": version, "cipherSuite": cipher,
                  "sni": ch[0]["fields"].get("sni") if ch else None,
                  "alpn": alpn,
                  "decrypted": any(m["encrypted"] for m in msgs),
                  "messages": msgs, "records": recs, "alerts": alerts}
        if st["tcp"]:
            out_st["tcpAnalysis"] = st["tcp"]
        result.append(out_st)
    fill_verify_data(path, prefs, env, result)
    # decrypted application data, one entry per decrypted record carrying data
    # (also without --keylog: a pcapng may embed its secrets in a Decryption Secrets Block)
    add_app_data(path, prefs, env, result)
    out["streams"] = result
    return out


def handle_record(st, frame, sender, rec):
    opaque = first_show(rec, "tls.record.opaque_type")
    ctype = num(first_show(rec, "tls.record.content_type"))
    version = num(first_show(rec, "tls.record.version"))
    length = num(first_show(rec, "tls.record.length"))
    if ctype is None and opaque is None:
        # e.g. "Ignored Unknown Record" or an SSLv2 header: keep what tshark said
        st["records"].append({"_from": sender, "type": None, "version": version, "length": length, "frame": frame,
                              "encrypted": None, "note": (rec.get("showname") or "")[:80]})
        return
    key = (sender,)
    # TLS 1.2 and older: protection starts after the sender's ChangeCipherSpec. TLS 1.3: only records
    # that tshark shows with an opaque (outer) type are protected; its CCS is the compatibility dummy.
    tls12_encrypted = key in st["ccsSeen"] and not st.get("tls13")
    r = {"_from": sender, "type": num(opaque) if opaque is not None else ctype, "version": version,
         "length": length, "frame": frame, "encrypted": opaque is not None or tls12_encrypted}
    if opaque is not None and ctype is not None and ctype != num(opaque):
        r["innerType"] = ctype
    elif opaque is not None and ctype is not None and any(fname(c) in ("tls.handshake", "tls.alert_message")
                                                          for c in children(rec)):
        r["innerType"] = ctype
    st["records"].append(r)
    if ctype == 20 and opaque is None:
        st["ccsSeen"].add(key)
    inner = r.get("innerType", ctype)
    kids = children(rec)
    for i, c in enumerate(kids):
        if fname(c) == "tls.handshake":
            t = num(first_show(c, "tls.handshake.type"))
            if t is None:
                continue  # "Encrypted Handshake Message": nothing decodable
            # a handshake message reassembled from several records is reported in the last one
            hs_len = num(first_show(c, "tls.handshake.length"))
            name = HS_NAMES.get(t, f"Unknown({t})")
            fields = message_fields(t, c, None)
            if t == 24 and fields.get("requestUpdate") is None:
                # tshark 4.0 attaches KeyUpdate.request_update to the record, next to the message
                for sib in kids[i + 1:i + 2]:
                    if fname(sib) == "tls.handshake.key_update.request_update":
                        fields["requestUpdate"] = num(sib.get("show"))
            if t == 2 and fields.get("random") == HRR_RANDOM:
                name = "HelloRetryRequest"
            if t == 2 and fields.get("selectedVersion") == 0x0304:
                st["tls13"] = True
            m = {"_from": sender, "type": t, "name": name, "length": hs_len, "frame": frame,
                 "encrypted": r["encrypted"], "fields": fields}
            st["messages"].append(m)
        elif fname(c) == "tls.alert_message":
            lvl = first_show(c, "tls.alert_message.level")
            st["alerts"].append({"_from": sender, "level": num(lvl), "description": num(first_show(c, "tls.alert_message.desc")),
                                 "frame": frame, "encrypted": r["encrypted"]})
    if inner == 21 and not any(fname(c) == "tls.alert_message" for c in children(rec)):
        st["alerts"].append({"_from": sender, "level": None, "description": None, "frame": frame,
                             "encrypted": True, "note": "encrypted alert, not decrypted"})


def fill_verify_data(path, prefs, env, streams):
    """tshark 4.0 declares tls.handshake.verify_data as a label (FT_NONE), so PDML carries no bytes;
    its JSON '-x' output does (field_raw). Take them from there, in frame order."""
    want = [m for s in streams for m in s["messages"] if m["type"] == 20 and not m["fields"].get("verifyData")]
    if not want:
        return
    rc, outb, err = run_tshark(["-r", path, "-n"] + prefs + ["-Y", "tls.handshake.type == 20", "-T", "json", "-x",
                                                              "-J", "frame tls"], env)
    try:
        pkts = json.loads(outb.decode("utf-8", "replace"), object_pairs_hook=lambda kv: kv)
    except ValueError:
        return
    found = {}

    def walk(node, acc):
        if isinstance(node, list):
            for item in node:
                if isinstance(item, tuple) and len(item) == 2:
                    k, v = item
                    if k == "tls.handshake.verify_data_raw" and isinstance(v, list) and v and isinstance(v[0], str):
                        acc.append(v[0].lower())
                    elif k == "frame.number" and isinstance(v, str):
                        acc.insert(0, ("#", int(v)))
                    else:
                        walk(v, acc)
                else:
                    walk(item, acc)

    for pkt in pkts:
        acc = []
        walk(pkt, acc)
        fr = [a for a in acc if isinstance(a, tuple)]
        if fr:
            found[fr[0][1]] = [a for a in acc if isinstance(a, str)]
    for m in sorted(want, key=lambda m: m["frame"]):
        vals = found.get(m["frame"])
        if vals:
            m["fields"]["verifyData"] = vals.pop(0)


def add_app_data(path, prefs, env, streams):
    args = ["-r", path, "-n"] + prefs + ["--disable-protocol", "http", "--disable-protocol", "http2",
                                           "-Y", "data", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                                           "-e", "frame.number", "-e", "tcp.stream", "-e", "ip.src", "-e", "ipv6.src",
                                           "-e", "tcp.srcport", "-e", "data.data"]
    rc, outb, err = run_tshark(args, env)
    by = {s["stream"]: s for s in streams}
    for line in outb.decode().splitlines():
        parts = line.split("\t")
        if len(parts) < 6 or not parts[1]:
            continue
        frame, stream = int(parts[0]), int(parts[1])
        ip = parts[2] or parts[3]
        port = int(parts[4])
        s = by.get(stream)
        if s is None:
            continue
        d = "c2s" if (ip, port) == (s["client"]["ip"], s["client"]["port"]) else "s2c"
        for chunk in parts[5].split(","):
            h = chunk.replace(":", "").lower()
            ent = {"dir": d, "frame": frame, "length": len(h) // 2}
            ent["hex"] = h[:8192]
            if len(h) > 8192:
                ent["truncatedTo"] = 4096
            s.setdefault("appData", []).append(ent)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("--keylog")
    ap.add_argument("--rsa-key")
    ap.add_argument("--tls-port", type=int, action="append", default=[])
    ap.add_argument("--decode-as", action="append", default=[])
    a = ap.parse_args()
    try:
        res = reduce(a.capture, a.keylog, a.rsa_key, a.tls_port, a.decode_as)
    except Exception as ex:  # the oracle for an unreadable file is the failure itself
        res = {"oracle": "tshark", "tshark": tshark_version(), "capture": os.path.basename(a.capture),
               "error": f"{type(ex).__name__}: {ex}"[:300]}
    json.dump(res, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
