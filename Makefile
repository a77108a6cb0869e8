# `make ci` is what .ci/run (and so CI) runs; each step is also a target of its own.
.PHONY: ci fmt-check lint test shipped

ci: fmt-check lint test shipped

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
