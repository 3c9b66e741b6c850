# Entry points: `make demo` and `make test` work on a fresh Debian 12 machine.
.PHONY: setup build release test demo clean

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

clean:
	rm -rf .build
