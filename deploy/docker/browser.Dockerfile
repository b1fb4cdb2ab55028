# One single-use browser pod: Debian's headless Chromium (the build argument BROWSER picks which) with DevTools on the
# pod's loopback, bridged by socat to the pod's IP on CDP_PORT (9222), where the gateway dials it; the session's files on
# FILES_PORT (9224, files.sh), which only the control plane reaches. Build from the repository root:
#   docker build -f deploy/docker/browser.Dockerfile -t <registry>/ufbrowsers/browser:<chart appVersion> .
# Non-root (uid 10001, the chart's browsers.runAsUser); it writes only to /profile, /tmp and /dev/shm, which the pod
# mounts as emptyDir volumes over a read-only root filesystem.

FROM debian:bookworm-slim
# The browser build: chromium-headless-shell (the default: starts in half the time, opens pages faster, half the memory)
# or chromium (full Chromium, --headless: extensions and the desktop browser's behaviour; see README "Browser builds").
ARG BROWSER=chromium-headless-shell
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        "${BROWSER}" socat tini ca-certificates fonts-liberation fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin browser \
    && mkdir /profile && chown 10001:10001 /profile
COPY deploy/docker/browser/entrypoint.sh /usr/local/bin/ufb-browser
COPY deploy/docker/browser/files.sh /usr/local/bin/ufb-files
ENV CHROMIUM=/usr/lib/chromium/${BROWSER} \
    HOME=/tmp \
    PROFILE_DIR=/profile \
    CDP_PORT=9222 \
    FILES_PORT=9224
EXPOSE 9222 9224
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/ufb-browser"]
