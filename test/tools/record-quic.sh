#!/usr/bin/env bash
# Records test/fixtures/quic/: real QUIC handshakes on the loopback between ngtcp2's example client and server
# (Debian ngtcp2-client / ngtcp2-server: gtlsclient, gtlsserver, GnuTLS inside) and Chromium headless, captured
# with tcpdump, each with the NSS key log its client wrote (SSLKEYLOGFILE / --ssl-key-log-file). Then the tshark
# oracles (test/tools/quic-oracle.py) are made from the captures. Nothing here is edited by hand afterwards.
#
#   ngtcp2-v1          QUIC v1, one HTTP/3 GET (IPv4)
#   ngtcp2-retry       the server validates the address first (gtlsserver -V): Retry, then the retried Initial
#   ngtcp2-vn          the client offers a reserved version (0x1a2a3a4a), the server answers Version Negotiation,
#                      the client starts again with v1
#   ngtcp2-0rtt        two connections: the first stores a ticket and transport parameters, the second resumes
#                      and sends its request as 0-RTT
#   ngtcp2-keyupdate   QUIC v1 over IPv6 (::1), the client starts a 1-RTT key update (RFC 9001 §6) mid-download
#                      of a 300 kB file
#   chromium-h3        Chromium over HTTP/3 (its ClientHello with an X25519MLKEM768 share spans two Initials)
#   chromium-v2-vn     Chromium offering QUIC v2 (RFC 9369), which gtlsserver 0.12 does not speak: v2 Initials
#                      answered by Version Negotiation
#   ngtcp2-v1-dsb.pcapng  ngtcp2-v1 with its key log embedded as a Decryption Secrets Block (editcap)
#
# Needs root (tcpdump on lo), gtlsclient, gtlsserver, chromium, tcpdump, editcap, tshark, python3.
# Usage: bash test/tools/record-quic.sh [NAME...]   (no NAME: all of them)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/test/fixtures/quic"
CERTS="$OUT/certs" # server-ecdsa from the shared fixtures: CN=ecdsa.server.test, SAN 127.0.0.1
mkdir -p "$OUT"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_udp_port() {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"
}

mkdir -p "$work/htdocs"
echo "hello over QUIC" >"$work/htdocs/index.html"
head -c 300000 /dev/zero | tr '\0' 'q' >"$work/htdocs/big.txt"

# start_capture NAME ADDR PORT: tcpdump on lo for that UDP port, returns once it listens.
start_capture() {
  tcpdump -i lo -U --immediate-mode -s 0 -w "$work/$1.pcap" "udp port $3" 2>"$work/$1.tcpdump.err" &
  cap_pid=$!
  pids+=("$cap_pid")
  for _ in $(seq 1 50); do grep -q "listening on" "$work/$1.tcpdump.err" 2>/dev/null && break; sleep 0.1; done
}

# start_server ADDR PORT [ARGS...]
start_server() {
  local addr=$1 port=$2
  shift 2
  # --max-gso-dgrams=1: one datagram per sendmsg; GSO's super-datagrams are captured on lo before they are split.
  gtlsserver -q -d "$work/htdocs" --max-gso-dgrams=1 "$@" "$addr" "$port" "$CERTS/server-ecdsa.key" "$CERTS/server-ecdsa.pem" >>"$work/server.log" 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  # Wait for the UDP socket without sending anything to it (a probe would end up in the capture).
  for _ in $(seq 1 50); do ss -Hlun "sport = :$port" 2>/dev/null | grep -q . && break; sleep 0.1; done
}

finish() {
  local name=$1
  sleep 0.5
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  sleep 0.3
  kill "$cap_pid" 2>/dev/null || true
  wait "$cap_pid" 2>/dev/null || true
  cp "$work/$name.pcap" "$OUT/$name.pcap"
  if [ -s "$work/$name.keylog" ]; then cp "$work/$name.keylog" "$OUT/$name.keylog"; fi
  echo "recorded $name: $(tshark -r "$OUT/$name.pcap" 2>/dev/null | wc -l) packets"
}

client() { # client NAME ADDR PORT [ARGS...] -- URI...
  local name=$1 addr=$2 port=$3
  shift 3
  SSLKEYLOGFILE="$work/$name.keylog" timeout 20 gtlsclient -q --exit-on-all-streams-close "$@" >>"$work/client.log" 2>&1 || true
}

record_ngtcp2() { # NAME ADDR SERVER_ARGS... -- CLIENT_ARGS...
  local name=$1 addr=$2
  shift 2
  local srv=()
  while [ "$1" != "--" ]; do srv+=("$1"); shift; done
  shift
  local port
  port=$(free_udp_port "$addr")
  start_capture "$name" "$addr" "$port"
  start_server "$addr" "$port" "${srv[@]}"
  local host=$addr
  [[ $addr == *:* ]] && host="[$addr]"
  client "$name" "$addr" "$port" "$@" "$addr" "$port" "https://$host:$port/index.html"
  finish "$name"
}

chromium_flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --enable-quic --dump-dom)

record_chromium() { # NAME [EXTRA_FLAGS...]
  local name=$1
  shift
  local port spki
  port=$(free_udp_port 127.0.0.1)
  # Chromium's QUIC stack ignores --ignore-certificate-errors; it trusts a key named by its SPKI hash.
  spki=$(openssl x509 -in "$CERTS/server-ecdsa.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
  start_capture "$name" 127.0.0.1 "$port"
  start_server 127.0.0.1 "$port"
  timeout 30 chromium "${chromium_flags[@]}" --user-data-dir="$work/chromium-$name" "$@" \
    --origin-to-force-quic-on="127.0.0.1:$port" --ssl-key-log-file="$work/$name.keylog" --ignore-certificate-errors \
    --ignore-certificate-errors-spki-list="$spki" "https://127.0.0.1:$port/index.html" >"$work/$name.dom" 2>>"$work/chromium.log" || true
  finish "$name"
}

ALL=(ngtcp2-v1 ngtcp2-retry ngtcp2-vn ngtcp2-0rtt ngtcp2-keyupdate chromium-h3 chromium-v2-vn)
SELECTED=("$@")
[ ${#SELECTED[@]} -eq 0 ] && SELECTED=("${ALL[@]}")

for name in "${SELECTED[@]}"; do
  case $name in
    ngtcp2-v1) record_ngtcp2 ngtcp2-v1 127.0.0.1 -- ;;
    ngtcp2-retry) record_ngtcp2 ngtcp2-retry 127.0.0.1 -V -- ;;
    ngtcp2-vn) record_ngtcp2 ngtcp2-vn 127.0.0.1 -- -v 0x1a2a3a4a --preferred-versions=v1 ;;
    ngtcp2-0rtt)
      port=$(free_udp_port 127.0.0.1)
      start_capture ngtcp2-0rtt 127.0.0.1 "$port"
      start_server 127.0.0.1 "$port"
      for _ in 1 2; do
        client ngtcp2-0rtt 127.0.0.1 "$port" --session-file="$work/session" --tp-file="$work/tp" 127.0.0.1 "$port" "https://127.0.0.1:$port/index.html"
        sleep 0.3
      done
      finish ngtcp2-0rtt
      ;;
    ngtcp2-keyupdate)
      port=$(free_udp_port ::1)
      start_capture ngtcp2-keyupdate ::1 "$port"
      start_server ::1 "$port"
      client ngtcp2-keyupdate ::1 "$port" --key-update=5ms ::1 "$port" "https://[::1]:$port/big.txt"
      finish ngtcp2-keyupdate
      ;;
    chromium-h3) record_chromium chromium-h3 ;;
    chromium-v2-vn) record_chromium chromium-v2-vn --quic-version=RFCv2 ;;
    *) echo "unknown capture $name" >&2; exit 2 ;;
  esac
done

# The DSB variant: the same bytes as ngtcp2-v1, its key log inside the file (pcapng §4.7).
if [[ " ${SELECTED[*]} " == *" ngtcp2-v1 "* ]]; then
  editcap --inject-secrets "tls,$OUT/ngtcp2-v1.keylog" "$OUT/ngtcp2-v1.pcap" "$OUT/ngtcp2-v1-dsb.pcapng"
fi

python3 "$ROOT/test/tools/quic-oracle.py" --all "$OUT"
