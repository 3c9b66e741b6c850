# Entry points: `make demo` and `make test` work on a fresh Debian 12 machine.
.PHONY: setup build release test demo clean bench-agent

setup:
	scripts/setup

build: setup
	swift build

release: setup
	swift build -c release

test:
	scripts/test

demo:
	scripts/demo

# Partner and Aider side by side on a real local model (docs/benchmarks.md). Installs the model,
# llama-server and Aider under ~/.cache/partner-bench first; takes an hour or more. Not part of `make test`.
bench-agent: setup
	scripts/real-model
	swift build -c release
	.build/release/partner bench agent

clean:
	rm -rf .build
