#!/usr/bin/env bash
# Regenerates search/chardata/unihan.tsv.gz from the Unicode Han Database.
# Unihan comes from Debian's unicode-data package (Unihan_*.txt.bz2 under
# /usr/share/unicode); pass another directory or a Unihan.zip as $1.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-/usr/share/unicode}"
if [ ! -e "$src" ] || ! ls "$src"/Unihan_* >/dev/null 2>&1 && [ ! -f "$src" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq unicode-data
  else
    echo "no Unihan data under $src: install Debian's unicode-data package (apt-get install unicode-data)" >&2
    exit 1
  fi
fi
go run ./search/chardata/gen -unihan "$src" -out search/chardata/unihan.tsv.gz
go test ./search/chardata/
