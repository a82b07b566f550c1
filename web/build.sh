#!/usr/bin/env bash
# Builds the playground into web/dist: hld compiled to WebAssembly (crates/wasm), the
# page bundled by esbuild, the examples menu. Any static host serves web/dist; locally:
#   python3 -m http.server --bind 127.0.0.1 -d web/dist
set -euo pipefail
cd "$(dirname "$0")"
cargo build --locked --manifest-path ../Cargo.toml -p hld-wasm --target wasm32-unknown-unknown --release
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
rm -rf dist
mkdir -p dist
cp ../target/wasm32-unknown-unknown/release/hld_wasm.wasm dist/hld.wasm
node examples.mjs > dist/examples.json
npx esbuild src/main.js src/worker.js --bundle --format=esm --minify --target=es2022 --outdir=dist --log-level=warning
cp index.html style.css dist/
echo "web/dist: $(du -sh dist | cut -f1) ($(wc -c < dist/hld.wasm) bytes of wasm)"
