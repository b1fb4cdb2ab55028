#!/usr/bin/env bash
# Installs the Debian packages UFBrowsers runs and tests against, only those that are missing.
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
# The browser image's entrypoint (deploy/docker/browser) runs Debian's headless shell behind a socat bridge.
[ -x /usr/lib/chromium/chromium-headless-shell ] || packages+=(chromium-headless-shell)
command -v socat >/dev/null 2>&1 || packages+=(socat)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${packages[*]} from Debian..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
