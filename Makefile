# replscope — the two commands a newcomer needs:
#   make serve   build the page (Rust -> WebAssembly) and serve it on http://localhost:8000
#   make test    install what is missing, then run every check and test suite
#
# Helpers: make wasm | dist | bench | page-bench | size | size-profile | conformance | e2e | wasm-test | deps | servers

SHELL := /bin/bash
PORT ?= 8000
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

# gcc builds the CLI's allocator (mimalloc, C); rustc's own linking needs it too.
APT_PACKAGES := redis-server redis-tools chromium chromium-driver firefox-esr gcc libc6-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test deps rust-deps apt-deps node-deps servers wasm dist lint unit conformance \
        wasm-test e2e bench page-bench size size-profile clean

## serve: build the page and serve www/ on localhost:$(PORT)
serve: rust-deps wasm
	@echo "replscope: http://localhost:$(PORT)/  (Ctrl-C to stop)"
	cd www && python3 -m http.server $(PORT) --bind 127.0.0.1

## test: everything CI runs
test: deps lint unit wasm-test e2e
	@echo "make test: all suites passed"

deps: rust-deps apt-deps node-deps servers

# wasm-pack uses the wasm-bindgen on PATH when its version is the one Cargo.lock pins.
# Installed here, without `make wasm`'s RUSTFLAGS: left to wasm-pack inside `make wasm`,
# its `cargo install` inherits -Zfmt-debug=none, and mime_guess's build script (which
# writes code with {:?}) then writes code that does not compile. Not --locked: its lock
# file pins a webpki-roots release the registry no longer offers.
WASM_BINDGEN := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;q}' Cargo.lock)

rust-deps:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@command -v wasm-pack >/dev/null || $(CARGO) install wasm-pack --locked
	@command -v geckodriver >/dev/null || $(CARGO) install geckodriver --locked
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN)" ] || \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN) --force

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

node-deps:
	@if [ -f tests/e2e/package.json ]; then cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error; fi

## servers: Redis 8.0 and Valkey 8.1 for the conformance suite, from Debian 13's packages into
##          target/servers/bin (a no-op once they run; says why when the packages cannot be had)
servers:
	@tools/install-servers.sh || { echo "make servers: FAILED: Redis 8.0 and Valkey 8.1 could not be installed (see above); the conformance suite skips them on a developer's machine and fails under CI=true" >&2; exit 1; }

# Debian's wasm-opt (binaryen 108) renumbers tables and exports wasm-bindgen's externref
# table as the funcref one, so the page dies at init; binaryen from npm is current.
WASM_OPT := tools/node_modules/.bin/wasm-opt
$(WASM_OPT): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The page's wasm only (tests, clippy and the native build never see this): the standard
# library is rebuilt with the crate at opt-level z (-Zbuild-std, from the rust-src
# component), panics carry their message but no file:line (-Zlocation-detail=none), and
# {:?} prints nothing (-Zfmt-debug=none: no page text uses Debug; only std's own panic
# messages did). RUSTC_BOOTSTRAP lets the stable toolchain take these flags. Measured:
# 184,401 -> 173,838 bytes gzip -9; wasm-opt's --converge about 440 more (--low-memory-unused
# would save 930 more but assumes nothing ever lives in the lowest 1 KB: not taken).
# --reorder-functions-by-name only changes the order of the function bodies in the file
# (by their Rust names, which wasm-bindgen keeps until --strip-debug): a module's
# functions and a generic's copies end up side by side, where gzip finds their
# likenesses: 1,244 bytes less gzip -9 (183,670 -> 182,426), the same code.
# --gufa (binaryen's whole-program flow analysis: values and types it proves constant
# are folded, code it proves unreachable goes), then -Oz again: 185,067 -> 184,931.
# --flatten --rereloop first (every expression flattened to locals, then the control flow
# rebuilt by binaryen's relooper, which -Oz then shrinks from a simpler shape): 185,258 ->
# 184,141, the same speed within noise (node, 40 seeks of a 20,000-write run: 2.7-3.7 s
# either way); tests/e2e/pagewasm.test.mjs checks these very bytes against the golden trace.
WASM_ENV := RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none"

## wasm: build the WebAssembly package into www/pkg (size-optimised)
wasm: $(WASM_OPT)
	@rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
	$(WASM_ENV) wasm-pack build --profile wasm --target web --out-dir www/pkg --no-typescript --no-pack --no-opt
	$(WASM_OPT) --flatten --rereloop -Oz --converge --gufa -Oz --reorder-functions-by-name --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	  --enable-mutable-globals --enable-reference-types --strip-debug --strip-producers \
	  -o www/pkg/replscope_bg.wasm www/pkg/replscope_bg.wasm
	@rm -f www/pkg/.gitignore

## dist: a self-contained folder any static host can serve (page bundled and minified)
dist: wasm
	node tools/dist.mjs

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --lib -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --lib --quiet

## unit: unit tests, scenarios, determinism, property test (1,000 cases), command replies and
##       the conformance suite against redis-server (cargo test runs them all)
unit:
	PROPTEST_CASES=1000 $(CARGO) test --release

conformance:
	@if [ -f tests/conformance/main.rs ]; then $(CARGO) test --release --test conformance; fi

wasm-test:
	@if [ -f tests/wasm.rs ]; then \
	  wasm-pack test --headless --chrome --release -- --test wasm && \
	  wasm-pack test --headless --firefox --release -- --test wasm; fi

e2e: wasm
	@if [ -f tests/e2e/package.json ]; then cd tests/e2e && npm test; fi

bench:
	$(CARGO) bench

## page-bench: a first visit on a phone (Slow 4G, 4x CPU, cold cache): first render and interactive, www/ and dist/
page-bench: dist
	node tools/page-bench-phone.mjs www dist

size: wasm
	@if [ -f tools/size-report.sh ]; then tools/size-report.sh; \
	else gzip -9c www/pkg/replscope_bg.wasm | wc -c | xargs echo "wasm gzip bytes:"; fi

## size-profile: where the wasm's bytes go, by module and function (needs twiggy)
size-profile: $(WASM_OPT)
	$(WASM_ENV) tools/size-profile.sh

clean:
	$(CARGO) clean
	rm -rf www/pkg dist tests/e2e/node_modules
