# `make ci` is what .ci/run (and so CI) runs; each step is also a target of its own.
.PHONY: ci fmt-check lint test shipped html serve office

ci: fmt-check lint test shipped html serve office

fmt-check:
	cargo fmt --check

lint:
	cargo clippy --all-targets --locked -- -D warnings

# The README's test command.
test:
	cargo test --locked

# The README's main job, on the data that ships with the tool.
shipped:
	cargo run --release --locked -- list --status completed
	cargo run --release --locked -- validate

# The exported dashboard in a real browser: headless Chromium driven by playwright-core
# (npm), installed under target/ so the source tree stays clean. Leaves the screenshot in
# target/html-export.png.
HTML_CHECK := target/html-check
html:
	mkdir -p target
	cargo run --release --locked -- export --format html -o target/html-export.html
	$(MAKE) browser-modules
	NODE_PATH=$(HTML_CHECK)/node_modules node tests/html/check.js target/html-export.html target/html-export.png

# `iisg serve` in the same browser: log in, filter, open, change a status, Save; the file and
# the commit checked; axe-core on every page; screenshots (desktop and phone) in target/serve/.
serve:
	cargo build --release --locked
	$(MAKE) browser-modules
	NODE_PATH=$(HTML_CHECK)/node_modules node tests/html/serve.js target/release/iisg data target/serve

.PHONY: browser-modules
browser-modules:
	test -d $(HTML_CHECK)/node_modules/axe-core || \
	  npm install --prefix $(HTML_CHECK) --no-audit --no-fund --no-save playwright-core@1.65.1 axe-core@4.14.1

# The exported workbook and Word document in LibreOffice (headless): opened, printed to
# PDF, every action's title in the PDF's text (and the document's annexes); the first pages
# kept as target/office/plan-page-*.png and paper-page-*.png.
office:
	cargo build --release --locked
	tests/office/check.sh target/release/iisg
