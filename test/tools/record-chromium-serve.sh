#!/usr/bin/env bash
# Records test/fixtures/chromium/chromium156-serve-x25519mlkem768.{pcap,keylog}: headless Chromium loading a page
# from `tls-handshake serve` on 127.0.0.1, which negotiates X25519MLKEM768 (ClientHello share 1216 bytes,
# ServerHello share 1120 bytes: draft-ietf-tls-ecdhe-mlkem §3.1). Also writes tshark's fields of both key shares
# (the oracle the decoder test compares its ML-KEM/ECDH split with).
# Needs root (tcpdump on lo), chromium, tcpdump, tshark, and `npm run build` first.
# Usage: bash test/tools/record-chromium-serve.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/test/fixtures/chromium"
NAME=chromium156-serve-x25519mlkem768
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
node "$ROOT/dist/cli.js" serve --port 0 --max-connections 1 --json >"$work/serve.json" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/serve.err" && break; sleep 0.1; done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/serve.err" | cut -d: -f2)
tcpdump -i lo -U --immediate-mode -n -w "$work/$NAME.pcap" "tcp port $port" 2>"$work/tcpdump.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/tcpdump.err" && break; sleep 0.1; done
timeout 60 chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --ssl-key-log-file="$work/$NAME.keylog" \
  --ignore-certificate-errors --dump-dom "https://127.0.0.1:$port/" >"$work/dom.html" 2>/dev/null || true
sleep 1
kill "${pids[1]}" 2>/dev/null || true
wait "${pids[1]}" 2>/dev/null || true
cp "$work/$NAME.pcap" "$work/$NAME.keylog" "$OUT/"
tshark -r "$OUT/$NAME.pcap" -o "tls.keylog_file:$OUT/$NAME.keylog" -Y "tls.handshake.type == 1 || tls.handshake.type == 2" -T fields \
  -e tls.handshake.type -e tls.handshake.extensions_key_share_group -e tls.handshake.extensions_key_share_key_exchange_length \
  -e tls.handshake.extensions_key_share_key_exchange >"$OUT/$NAME.keyshares.tshark.tsv"
echo "recorded $OUT/$NAME.pcap ($(wc -c <"$OUT/$NAME.pcap") bytes)"
