#!/usr/bin/env bash
# Regenerates search/chardata/unihan.tsv.gz from the Unicode Han Database.
# Unihan comes from Debian's unicode-data package (Unihan_*.txt.bz2 under
# /usr/share/unicode); pass another directory, or a Unihan.zip, as $1.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-/usr/share/unicode}"
have_unihan() {
  [ -f "$src" ] || compgen -G "$src/Unihan_*" >/dev/null
}
if ! have_unihan; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq unicode-data
  fi
  if ! have_unihan; then
    echo "no Unihan data under $src: install Debian's unicode-data package (apt-get install unicode-data)" >&2
    exit 1
  fi
fi
go run ./search/chardata/gen -unihan "$src" -out search/chardata/unihan.tsv.gz
go test ./search/chardata/
