#!/usr/bin/env bash
# Records test/fixtures/hostile/hostile.pcap: real TLS handshakes between OpenSSL s_server and s_client on
# 127.0.0.1 whose peer-controlled strings hold HTML and script — the SNI host name, the ALPN protocol names and the
# server certificate's subject/issuer — so the e2e suite can check that every view renders them as inert text.
#   connection 1: TLS 1.2 (the Certificate travels in clear, so its subject is readable without keys)
#   connection 2: TLS 1.3 (Certificate encrypted; hostile.keylog decrypts it)
# Needs root (tcpdump on lo), openssl, tcpdump. Usage: sudo bash scripts/make-hostile-capture.sh [PORT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/test/fixtures/hostile"
PORT=${1:-14480}
SNI='<img src=x onerror=alert(1)>'
ALPN='<svg/onload=alert(2)>,h2'
CN='<script>alert(3)</script>'
ORG='<b onmouseover=alert(4)>bold</b>'

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The certificate: a config file, because -subj would need '/' inside "</script>" escaped.
cat >"$work/req.cnf" <<CNF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = $CN
O = $ORG
[ext]
subjectAltName = DNS:hostile.test
basicConstraints = critical,CA:FALSE
CNF
openssl req -x509 -config "$work/req.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$work/key.pem" -out "$work/cert.pem" -days 3650 2>/dev/null

mkdir -p "$OUT"
tcpdump -i lo -U --immediate-mode -s 0 -w "$work/cap.pcap" "tcp port $PORT" 2>"$work/tcpdump.err" &
pids+=($!)
for _ in $(seq 1 50); do grep -q "listening on" "$work/tcpdump.err" 2>/dev/null && break; sleep 0.1; done

openssl s_server -accept "127.0.0.1:$PORT" -cert "$work/cert.pem" -key "$work/key.pem" -alpn "$ALPN" \
  -naccept 2 -quiet < <(sleep 15) >"$work/server.log" 2>&1 &
pids+=($!)
# Wait for the listening socket without connecting to it (a probe connection would end up in the capture).
for _ in $(seq 1 50); do ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q . && break; sleep 0.1; done

for ver in -tls1_2 -tls1_3; do
  timeout 10 openssl s_client -connect "127.0.0.1:$PORT" "$ver" -servername "$SNI" -alpn "$ALPN" \
    -keylogfile "$work/keylog" </dev/null >>"$work/client.log" 2>&1 || true
  sleep 0.3
done
sleep 1
kill "${pids[0]}" 2>/dev/null || true; wait "${pids[0]}" 2>/dev/null || true

cp "$work/cap.pcap" "$OUT/hostile.pcap"
cp "$work/keylog" "$OUT/hostile.keylog"
cp "$work/cert.pem" "$OUT/hostile-cert.pem"
cat >"$OUT/README.md" <<MD
# Hostile-string capture (made by scripts/make-hostile-capture.sh — do not edit by hand)
Real OpenSSL $(openssl version | cut -d' ' -f2) handshakes on 127.0.0.1:$PORT recorded with tcpdump:
connection 1 TLS 1.2, connection 2 TLS 1.3 (hostile.keylog decrypts it). Peer-controlled strings:
- SNI: \`$SNI\`
- ALPN offered and selected: \`$ALPN\` (server picks the first)
- certificate subject (self-signed, so issuer too): CN=\`$CN\`, O=\`$ORG\` (hostile-cert.pem)
Every view must show these as literal text; no element may be created from them.
MD
# The strings the peers were given, for the tests (JSON-escaped by python3 to keep quotes and backslashes exact).
SNI="$SNI" ALPN="$ALPN" CN="$CN" ORG="$ORG" PORT="$PORT" python3 -c '
import json, os
e = os.environ
print(json.dumps({"port": int(e["PORT"]), "connections": 2, "versions": ["TLS 1.2", "TLS 1.3"], "sni": e["SNI"],
  "alpnOffered": e["ALPN"].split(","), "alpnSelected": e["ALPN"].split(",")[0], "subjectCN": e["CN"],
  "subjectO": e["ORG"]}, indent=2))' >"$OUT/hostile.json"
echo "wrote $OUT/hostile.pcap ($(stat -c %s "$OUT/hostile.pcap") bytes)"
