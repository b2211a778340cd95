#!/bin/sh
# Copies the GraphiQL page's scripts and styles from the npm packages
# pinned in build/package-lock.json into assets/, which the binary embeds
# (bureau machines are often offline: no CDN). Run it after changing a
# version; TestVendoredAssetsMatchNpm checks assets/ matches its output.
#   sh graph/graphiql/vendor.sh [OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/assets}
cd "$here/build"
npm ci --no-audit --no-fund --silent
mkdir -p "$out"
cp node_modules/react/umd/react.production.min.js "$out/"
cp node_modules/react-dom/umd/react-dom.production.min.js "$out/"
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css "$out/"
for p in graphiql graphql react react-dom; do
	v=$(node -p "require('./node_modules/$p/package.json').version")
	echo "$p $v"
done > "$out/VERSIONS"
