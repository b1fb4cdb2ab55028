#!/usr/bin/env bash
# A browser pod's entrypoint: headless Chromium with DevTools on 127.0.0.1:CDP_INTERNAL_PORT, and socat bridging it to
# CDP_BIND:CDP_PORT (all interfaces: the pod's IP). Chromium's own --remote-debugging-address is not relied on (recent
# builds keep DevTools on loopback). A second socat serves the session's files (downloads out, uploads in) on
# CDP_BIND:FILES_PORT through FILES_HANDLER (files.sh, one process per request). Whichever of the three ends first ends the
# pod: a browser nobody can reach, or a bridge with no browser behind it, serves no session. Extra arguments go to Chromium.
set -euo pipefail

CDP_PORT="${CDP_PORT:-9222}"
CDP_BIND="${CDP_BIND:-0.0.0.0}"
CDP_INTERNAL_PORT="${CDP_INTERNAL_PORT:-9223}"
PROFILE_DIR="${PROFILE_DIR:-/profile}"
# The session's downloads (the control plane confines every download path to it: UFBrowsers:Kubernetes:Pods:DownloadsDirectory).
DOWNLOADS_DIR="${DOWNLOADS_DIR:-/tmp/downloads}"
mkdir -p "$DOWNLOADS_DIR"
# Chromium's own default download directory ($HOME/Downloads) leads there too, for clients that never set one.
[[ -e "${HOME:-/tmp}/Downloads" ]] || ln -s "$DOWNLOADS_DIR" "${HOME:-/tmp}/Downloads"
# Files clients upload for the page (the control plane puts them here through the file endpoint).
UPLOADS_DIR="${UPLOADS_DIR:-/tmp/uploads}"
mkdir -p "$UPLOADS_DIR"
FILES_PORT="${FILES_PORT:-9224}"
FILES_HANDLER="${FILES_HANDLER:-/usr/local/bin/ufb-files}"
export DOWNLOADS_DIR UPLOADS_DIR
# The binary itself, not /usr/bin/chromium-headless-shell: that wrapper does not exec, so a signal would miss the browser.
CHROMIUM="${CHROMIUM:-/usr/lib/chromium/chromium-headless-shell}"

flags=(
  --headless
  --disable-gpu
  --no-first-run
  --no-default-browser-check
  --disable-background-networking
  # The headless shell keeps a spare renderer (and isolates sites as desktop Chrome does) only with this; full Chromium
  # has it on already.
  --site-per-process
  # The GPU service (software only) and the network service in the browser's process: two processes fewer per pod.
  --in-process-gpu
  --enable-features=NetworkServiceInProcess2
  --user-data-dir="$PROFILE_DIR"
  --remote-debugging-address=127.0.0.1
  --remote-debugging-port="$CDP_INTERNAL_PORT"
)
# Chromium's sandbox needs user namespaces, which a pod under the RuntimeDefault seccomp profile and no capabilities does
# not get; the pod (and an optional RuntimeClass such as gVisor) is the sandbox. BROWSER_SANDBOX=1 keeps Chromium's own.
if [[ "${BROWSER_SANDBOX:-0}" != 1 ]]; then
  flags+=(--no-sandbox)
fi

"$CHROMIUM" "${flags[@]}" "$@" about:blank &
browser=$!
socat "TCP-LISTEN:${CDP_PORT},bind=${CDP_BIND},fork,reuseaddr" "TCP:127.0.0.1:${CDP_INTERNAL_PORT}" &
bridge=$!
socat "TCP-LISTEN:${FILES_PORT},bind=${CDP_BIND},fork,reuseaddr" "EXEC:${FILES_HANDLER}" &
files=$!

stop() { kill -TERM "$browser" "$bridge" "$files" 2>/dev/null || true; }
trap stop TERM INT

status=0
wait -n "$browser" "$bridge" "$files" || status=$?
stop
wait || true
exit "$status"
