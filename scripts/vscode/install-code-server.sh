#!/bin/sh
# Installs code-server (VS Code's web workbench with a Node extension host) into <repo>/.code-server/ so the
# extension tests and `npm start` can run a real VS Code on machines without the desktop app or internet access
# beyond the npm registry and Debian packages. Idempotent: returns at once when the pinned version is present.
#
# usage: scripts/vscode/install-code-server.sh [VERSION]   env: CODE_SERVER_DIR (install folder), VERBOSE=1
# Quiet on success (npm's output goes to .code-server/install.log; shown only if the install fails).
# Why 4.100.3: it is VS Code 1.100.3 (our engines.vscode floor) and the newest code-server whose engines.node
# accepts Node 20.
set -eu
VER=${1:-4.100.3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=${CODE_SERVER_DIR:-$ROOT/.code-server}
BIN="$DEST/node_modules/code-server/out/node/entry.js"
STAMP="$DEST/.installed-$VER"

if [ -f "$STAMP" ] && [ -f "$BIN" ]; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "install-code-server: need root to run: $*" >&2; return 1; fi; }
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

# Debian packages: libkrb5-dev gives gssapi.h for code-server's kerberos addon; ripgrep replaces the binary that
# @vscode/ripgrep would otherwise download from GitHub; chromium drives the workbench in the tests.
need=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in libkrb5-dev ripgrep; do has_pkg "$p" || need="$need $p"; done
  [ -x /usr/bin/chromium ] || need="$need chromium"
fi
if [ -n "$need" ]; then
  echo "install-code-server: apt-get install$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1 && as_root apt-get install -y -qq --no-install-recommends $need >/dev/null; }
fi

# Seed @vscode/ripgrep's download cache (it looks in $TMPDIR/vscode-ripgrep-cache-<pkgver>/) with a tarball of
# Debian's rg under every asset name that @vscode/ripgrep 1.15–1.17 asks for, so its postinstall finds a "cached
# download" and never contacts api.github.com.
RG=$(command -v rg) || { echo "install-code-server: ripgrep (rg) not found" >&2; exit 1; }
export TMPDIR=${TMPDIR:-/tmp}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$RG" "$work/rg"
for pkgver in 1.15.11 1.15.14 1.17.0 1.17.1; do
  d="$TMPDIR/vscode-ripgrep-cache-$pkgver"
  mkdir -p "$d"
  for rgver in v13.0.0-10 v13.0.0-13 v14.1.1-1 v15.0.0 v15.1.0; do
    f="$d/ripgrep-$rgver-x86_64-unknown-linux-musl.tar.gz"
    [ -f "$f" ] || tar czf "$f" -C "$work" rg
  done
done

mkdir -p "$DEST"
[ -f "$DEST/package.json" ] || echo '{"name":"tls-handshake-explorer-code-server","private":true}' > "$DEST/package.json"
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise prompt.
log="$DEST/install.log"
if ! (cd "$DEST" && npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false \
      npm install --no-save --no-package-lock "code-server@$VER" --foreground-scripts >"$log" 2>&1); then
  echo "install-code-server: npm install code-server@$VER failed; last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
[ -f "$BIN" ] || { echo "install-code-server: $BIN missing after install (see $log)" >&2; exit 1; }
rm -f "$DEST"/.installed-*
touch "$STAMP"
[ -z "${VERBOSE:-}" ] || echo "install-code-server: code-server $VER installed in $DEST"
