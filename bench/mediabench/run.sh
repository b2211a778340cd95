#!/usr/bin/env bash
# The media benchmark (make mediabench): installs Debian's libvips-tools,
# nginx-light, wrk and time when missing, then runs bench/mediabench.
# Arguments go to the program (e.g. -sizes 24,48 -duration 15s).
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
command -v vipsthumbnail >/dev/null || missing+=(libvips-tools)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
	sudo_=""
	[ "$(id -u)" -eq 0 ] || sudo_="sudo"
	$sudo_ apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
go build -o /tmp/guigen-mediabench.$$ ./bench/mediabench
trap 'rm -f /tmp/guigen-mediabench.$$' EXIT
/tmp/guigen-mediabench.$$ "$@"
