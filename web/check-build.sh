#!/usr/bin/env bash
# Proves that the committed web/dist (embedded in the Go binary, so that a
# clean clone builds without Node) is exactly what web/src builds to:
# installs the locked dependencies, rebuilds, and fails when any file
# differs, is missing or is extra.
set -euo pipefail
cd "$(dirname "$0")"

saved=$(mktemp -d)
trap 'rm -rf "$saved"' EXIT
if [ ! -f dist/index.html ]; then
	echo "web/dist/index.html missing: run 'make web' and commit web/dist" >&2
	exit 1
fi
cp -a dist "$saved/dist"

npm ci --no-audit --no-fund --loglevel=error
npm run build --silent >/dev/null

# -q: the built files are minified single lines; name them, do not print them.
if ! diff -rq "$saved/dist" dist; then
	echo "web/dist differs from a fresh build of web/src (above): run 'make web' and commit web/dist" >&2
	exit 1
fi
echo "web/dist matches its sources ($(find dist -type f | wc -l) files)"
