#!/usr/bin/env bash
# Picks the Kafka and registry images the tests and the demo start, and writes them to the env file
# given as $1. An image named by SCHEMAWIRE_KAFKA_IMAGE / SCHEMAWIRE_REGISTRY_IMAGE is used as is;
# otherwise the public image when it is here or can be pulled, else a local equivalent built from
# Debian packages and Maven Central (images/build-local.sh).
set -euo pipefail
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
PUBLIC_KAFKA=apache/kafka:4.4.0
PUBLIC_REGISTRY=apicurio/apicurio-registry:3.3.3

pick() { # <public image> <local recipe>
  if docker image inspect "$1" >/dev/null 2>&1; then echo "$1"; return; fi
  local local_name="schemawire-local/${1#*/}"
  # build-local.sh reuses a local image whose build folder is unchanged, and builds an edited one again.
  if docker image inspect "$local_name" >/dev/null 2>&1; then "$top/images/build-local.sh" "$2"; return; fi
  if timeout 120 docker pull -q "$1" >/dev/null 2>&1; then echo "$1"; return; fi
  echo "images: cannot pull $1; building a local equivalent" >&2
  "$top/images/build-local.sh" "$2"
}

kafka=${SCHEMAWIRE_KAFKA_IMAGE:-$(pick "$PUBLIC_KAFKA" kafka)}
registry=${SCHEMAWIRE_REGISTRY_IMAGE:-$(pick "$PUBLIC_REGISTRY" apicurio-registry)}
# Testcontainers' reaper removes containers a crashed run leaves behind; where its image cannot be had,
# run without it (the suites' teardown stops what they start).
ryuk=testcontainers/ryuk:0.14.0
ryuk_disabled=${TESTCONTAINERS_RYUK_DISABLED:-}
if [ -z "$ryuk_disabled" ]; then
  if docker image inspect "$ryuk" >/dev/null 2>&1 || timeout 120 docker pull -q "$ryuk" >/dev/null 2>&1; then
    ryuk_disabled=false
  else
    ryuk_disabled=true
  fi
fi
mkdir -p "$(dirname "$out")"
printf 'SCHEMAWIRE_KAFKA_IMAGE=%s\nSCHEMAWIRE_REGISTRY_IMAGE=%s\nTESTCONTAINERS_RYUK_DISABLED=%s\n' \
  "$kafka" "$registry" "$ryuk_disabled" >"$out"
echo "images: kafka $kafka, registry $registry (testcontainers reaper disabled: $ryuk_disabled)" >&2
