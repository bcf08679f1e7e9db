#!/usr/bin/env bash
# Makes sure a Docker engine answers and a Compose CLI is there. On a machine without them, running as
# root (a CI machine), it installs Debian's docker.io and docker-compose and starts the daemon;
# elsewhere it says what to do and fails.
set -euo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT

apt_install() {
  echo "installing $* (Debian packages)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$log" 2>&1 ||
    { tail -20 "$log" >&2; exit 1; }
}
is_root() { [ "$(id -u)" = 0 ]; }
has_compose() { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; }

if ! command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
  is_root || { echo "error: no Docker engine answers; start Docker (or give this user access to it) and run again" >&2; exit 1; }
  apt_install docker.io
fi
if ! has_compose && is_root; then apt_install docker-compose; fi

docker info >/dev/null 2>&1 && exit 0
is_root || { echo "error: no Docker engine answers; start Docker (or give this user access to it) and run again" >&2; exit 1; }
echo "starting dockerd" >&2
nohup dockerd >/var/log/schemawire-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "error: dockerd did not answer within 60 s; its log:" >&2
tail -20 /var/log/schemawire-dockerd.log >&2
exit 1
