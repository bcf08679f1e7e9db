#!/usr/bin/env bash
# Builds local equivalents of the public Kafka and Apicurio Registry images from Debian packages and
# Maven Central artifacts, for machines that cannot pull from an image registry.
#   images/build-local.sh kafka|apicurio-registry
# Prints the built image's name on stdout. Reuses an image that is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAFKA_VERSION=4.4.0
APICURIO_VERSION=3.3.3
JRE_IMAGE=schemawire-local/jre:21
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have() { docker image inspect "$1" >/dev/null 2>&1; }
# A digest of an image's build folder, kept as a label, so an edited folder (its run script, say)
# builds the image again instead of reusing the old one.
source_digest() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16); }
current() { [ "$(docker image inspect -f '{{index .Config.Labels "schemawire.source"}}' "$1" 2>/dev/null)" = "$2" ]; }
log() { echo "images: $*" >&2; }

maven() {
  mvn -B -q "$@" >"$work/maven.log" 2>&1 || { tail -30 "$work/maven.log" >&2; exit 1; }
}

docker_build() {
  docker build --build-arg BASE="$JRE_IMAGE" --label "schemawire.source=${3:-}" -t "$1" "$2" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
}

build_jre() {
  have "$JRE_IMAGE" && return
  command -v debootstrap >/dev/null || { log "installing debootstrap"; apt-get install -y -qq debootstrap >&2; }
  # The mirror comes from the machine's own apt sources (deb822 or one-line format).
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || { log "error: no Debian mirror in the apt sources"; exit 1; }
  # Debian 13 for OpenJDK 21: Apicurio Registry 3.3 is built for Java 21; Kafka 4 needs 17 or newer.
  log "building $JRE_IMAGE (debootstrap trixie + openjdk-21-jre-headless, about a minute)"
  debootstrap --variant=minbase --include=openjdk-21-jre-headless trixie "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/root" -c . | docker import - "$JRE_IMAGE" >/dev/null
}

build_kafka() {
  local image=schemawire-local/kafka:$KAFKA_VERSION digest
  digest=$(source_digest "$here/kafka")
  current "$image" "$digest" && { echo "$image"; return; }
  build_jre
  log "building $image (Kafka $KAFKA_VERSION jars from Maven Central)"
  cp -r "$here/kafka/." "$work/kafka"
  maven -f "$work/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/kafka/libs"
  docker_build "$image" "$work/kafka" "$digest"
  echo "$image"
}

build_apicurio() {
  local image=schemawire-local/apicurio-registry:$APICURIO_VERSION
  have "$image" && { echo "$image"; return; }
  build_jre
  log "building $image (Apicurio Registry $APICURIO_VERSION from Maven Central)"
  cp -r "$here/apicurio-registry/." "$work/apicurio"
  maven dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$work/download"
  mkdir -p "$work/apicurio/app"
  tar -xzf "$work/download/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$work/apicurio/app"
  docker_build "$image" "$work/apicurio"
  echo "$image"
}

case "${1:-}" in
  kafka) build_kafka ;;
  apicurio-registry) build_apicurio ;;
  *) echo "usage: $0 kafka|apicurio-registry" >&2; exit 2 ;;
esac
