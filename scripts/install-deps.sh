#!/usr/bin/env bash
# Installs the Debian packages UFBrowsers runs and tests against, only those that are missing:
# Chromium, PostgreSQL, Node.js and npm (the build fetches rrweb from npm), and what each browser's sandbox is made of (bubblewrap, slirp4netns, socat, iproute2, util-linux).
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
# The browser image's entrypoint (deploy/docker/browser) runs Debian's headless shell behind a socat bridge.
[ -x /usr/lib/chromium/chromium-headless-shell ] || packages+=(chromium-headless-shell)
command -v socat >/dev/null 2>&1 || packages+=(socat)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v bwrap >/dev/null 2>&1 || packages+=(bubblewrap)
command -v slirp4netns >/dev/null 2>&1 || packages+=(slirp4netns)
command -v socat >/dev/null 2>&1 || packages+=(socat)
PATH="$PATH:/usr/sbin:/sbin" command -v ip >/dev/null 2>&1 || packages+=(iproute2)
# The build installs rrweb (web/package.json) with npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
{ command -v setpriv && command -v nsenter && command -v unshare; } >/dev/null 2>&1 || packages+=(util-linux)

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${packages[*]} from Debian..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
