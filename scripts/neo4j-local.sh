#!/usr/bin/env bash
# neo4j-local: a local Neo4j Community 5.26 (embedded, Bolt on 127.0.0.1) for
# development and tests. See tools/neo4j-local/README.md.
#
#   scripts/neo4j-local.sh build    build tools/neo4j-local (only when pom/sources changed)
#   scripts/neo4j-local.sh start    build if needed, start in the background, wait for Bolt
#   scripts/neo4j-local.sh stop     SIGTERM, wait, SIGKILL after a timeout
#   scripts/neo4j-local.sh status   running or not (exit 0 when running, 3 when not)
#   scripts/neo4j-local.sh env      print `export NEO4J_URI=...` lines (eval "$(... env)")
#
# Environment:
#   NEO4J_LOCAL_PORT      Bolt port on 127.0.0.1 (default 7687)
#   NEO4J_LOCAL_PASSWORD  turn auth on; user neo4j gets this password (default: auth off)
#   NEO4J_LOCAL_STATE     state dir for pid, log and data (default <repo>/.neo4j-local)
#   NEO4J_LOCAL_DIR       data (Neo4j home) dir (default $NEO4J_LOCAL_STATE/data);
#                         an explicitly given dir is never wiped
#   NEO4J_LOCAL_KEEP=1    keep the default data dir across starts (default: fresh each start)
#   NEO4J_LOCAL_TIMEOUT   seconds to wait for Bolt on start (default 120)
#   NEO4J_LOCAL_STOP_TIMEOUT  seconds to wait after SIGTERM before SIGKILL (default 30)
#   NEO4J_LOCAL_HEAP      JVM max heap (default 768m)
#   NEO4J_LOCAL_JAVA_OPTS extra JVM options (appended last)
#   NEO4J_LOCAL_CDS=0     do not build/use the class-data-sharing archive (slower start)
#   JAVA                  java binary (default: java on PATH)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/neo4j-local"
TARGET="$TOOL/target"
MAIN_CLASS="guigen.neo4jlocal.Neo4jLocal"
JAVA="${JAVA:-java}"

PORT="${NEO4J_LOCAL_PORT:-7687}"
STATE="${NEO4J_LOCAL_STATE:-$ROOT/.neo4j-local}"
case "$STATE" in /*) ;; *) STATE="$ROOT/$STATE" ;; esac
PIDFILE="$STATE/neo4j.pid"
LOG="$STATE/neo4j.log"
INFO="$STATE/neo4j.info" # port=... auth=... of the running instance
DATA_DEFAULT="$STATE/data"

STAMP="$TARGET/.neo4j-local.stamp"
CPFILE="$TARGET/classpath.txt"
JSA="$TARGET/neo4j-local.jsa"
JSA_STAMP="$TARGET/.neo4j-local.jsa.stamp"

say() { echo "neo4j-local: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# --- build -------------------------------------------------------------------

# Fingerprint of everything the build output depends on: pom, sources, JVM.
fingerprint() {
	{
		(cd "$TOOL" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
		"$JAVA" -version 2>&1
	} | sha256sum | cut -d' ' -f1
}

jvm_opts() {
	local opts=(
		-Xms128m "-Xmx${NEO4J_LOCAL_HEAP:-768m}"
		# C1 only: roughly halves start time; fine for tests and local development.
		-XX:TieredStopAtLevel=1
		# What Neo4j's own launcher opens; avoids slow fallbacks (page cache, netty).
		--add-opens=java.base/java.nio=ALL-UNNAMED
		--add-opens=java.base/java.lang=ALL-UNNAMED
		--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
		-Dio.netty.tryReflectionSetAccessible=true
		# JVM warnings (e.g. CDS) go to stderr: stdout carries only the ready/stopped lines.
		-Xlog:disable -Xlog:all=warning:stderr
	)
	# Serial GC: smallest footprint, fine for a small test database (skipped when
	# NEO4J_LOCAL_JAVA_OPTS picks a collector itself).
	case "${NEO4J_LOCAL_JAVA_OPTS:-}" in *GC*) ;; *) opts+=(-XX:+UseSerialGC) ;; esac
	printf '%s\n' "${opts[@]}"
}

cmd_build() {
	command -v "$JAVA" >/dev/null || die "java not found (need Java 17+)"
	mkdir -p "$TARGET"
	# One build at a time (two checkouts' scripts, or start racing build).
	exec 9>"$TARGET/.build.lock"
	flock 9
	local fp
	fp="$(fingerprint)"
	if ! { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$fp" ] && [ -s "$CPFILE" ]; }; then
		build_jars "$fp"
	fi
	if [ "${NEO4J_LOCAL_CDS:-1}" != "0" ] && ! grep -q "$fp" "$JSA_STAMP" 2>/dev/null; then
		build_cds "$fp"
	fi
	exec 9>&-
}

build_jars() {
	command -v mvn >/dev/null || die "mvn not found (need Maven 3.8+)"
	say "building tools/neo4j-local (Maven) ..."
	rm -f "$STAMP" "$CPFILE" "$JSA" "$JSA_STAMP"
	local mvnlog="$TARGET/mvn.log"
	# Plain jars in target/lib (no shading: Neo4j relies on META-INF/services), plus the exact
	# dependency classpath pointing at them (so stale jars left in lib/ by an older version
	# are never used).
	if ! (cd "$TOOL" && mvn -q -B -Dstyle.color=never -DskipTests \
		package dependency:copy-dependencies dependency:build-classpath \
		-Dmdep.outputFile="$TARGET/deps.classpath" -Dmdep.prefix="$TARGET/lib") >"$mvnlog" 2>&1; then
		tail -n 40 "$mvnlog" >&2
		die "Maven build failed (full log: $mvnlog)"
	fi
	local jar
	jar="$(ls "$TARGET"/neo4j-local-*.jar 2>/dev/null | head -n1)"
	[ -n "$jar" ] && [ -s "$TARGET/deps.classpath" ] || die "no jar or classpath in $TARGET after the build"
	# Jars only, in a fixed order: a CDS archive needs the identical classpath, without
	# directories on it.
	printf '%s:%s' "$jar" "$(cat "$TARGET/deps.classpath")" >"$CPFILE"
	echo "$1" >"$STAMP"
	say "built"
}

# One training run records the classes Neo4j loads (start, some Cypher, stop) into an
# AppCDS archive; later starts map them instead of loading and verifying ~15k classes,
# which cuts the start time by half or more. Failure only costs speed (and is not retried
# until pom/sources/JVM change).
build_cds() {
	say "building the class-data-sharing archive (one-off, ~30 s) ..."
	rm -f "$JSA" "$JSA_STAMP"
	local tdir opts=()
	tdir="$(mktemp -d "$TARGET/train.XXXXXX")"
	mapfile -t opts < <(jvm_opts)
	if "$JAVA" "${opts[@]}" -XX:ArchiveClassesAtExit="$JSA" -cp "$(cat "$CPFILE")" \
		"$MAIN_CLASS" --train "$tdir/home" </dev/null >"$tdir/train.log" 2>&1 && [ -s "$JSA" ]; then
		echo "$1" >"$JSA_STAMP"
	else
		tail -n 20 "$tdir/train.log" >&2
		say "warning: CDS training run failed; starting without the archive (slower)"
		rm -f "$JSA"
		echo "failed $1" >"$JSA_STAMP"
	fi
	rm -rf "$tdir"
}

# --- helpers -----------------------------------------------------------------

# alive PID: the process exists and is not a zombie. (A detached JVM that has exited stays a
# zombie until init reaps it, which can take a second or two; kill -0 still succeeds on it.)
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	local state
	state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)"
	[ -n "$state" ] && [ "$state" != "Z" ]
}

# pid of our running instance, or empty. Checks the command line so a recycled pid is
# never mistaken for ours.
running_pid() {
	[ -f "$PIDFILE" ] || return 0
	local pid
	pid="$(cat "$PIDFILE" 2>/dev/null || true)"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 0
	if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS"; then
		echo "$pid"
	fi
}

info_get() { # key -> value from the info file of the running instance
	[ -f "$INFO" ] && sed -n "s/^$1=//p" "$INFO" | head -n1 || true
}

port_open() { # port -> 0 when something accepts TCP connections on 127.0.0.1:port
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

log_tail() {
	if [ -f "$LOG" ]; then
		say "last lines of $LOG:"
		tail -n "${1:-40}" "$LOG" >&2
	fi
}

# --- start / stop / status / env ----------------------------------------------

cmd_start() {
	[[ "$PORT" =~ ^[0-9]+$ ]] || die "NEO4J_LOCAL_PORT must be a number, got '$PORT'"
	mkdir -p "$STATE"
	local pid
	pid="$(running_pid)"
	if [ -n "$pid" ]; then
		local rport
		rport="$(info_get port)"
		local want=off
		[ -n "${NEO4J_LOCAL_PASSWORD:-}" ] && want=on
		if [ "$rport" = "$PORT" ] && [ "$(info_get auth)" != "$want" ]; then
			die "an instance is already running on port $PORT with auth $(info_get auth), but auth $want was asked for; run '$0 stop' first"
		fi
		if [ "$rport" = "$PORT" ] && port_open "$PORT"; then
			say "already running (pid $pid) on bolt://127.0.0.1:$PORT; reusing it"
			return 0
		fi
		die "an instance from $STATE is already running (pid $pid, port ${rport:-?}); run '$0 stop' first or use another NEO4J_LOCAL_STATE"
	fi
	if port_open "$PORT"; then
		die "127.0.0.1:$PORT is already in use by another process (not started from $STATE); stop it or set NEO4J_LOCAL_PORT"
	fi

	cmd_build

	local data="${NEO4J_LOCAL_DIR:-}"
	if [ -z "$data" ]; then
		data="$DATA_DEFAULT"
		if [ "${NEO4J_LOCAL_KEEP:-0}" != "1" ]; then
			rm -rf "$data"
		fi
	fi
	mkdir -p "$data"

	local opts=()
	mapfile -t opts < <(jvm_opts)
	if [ "${NEO4J_LOCAL_CDS:-1}" != "0" ] && [ -s "$JSA" ]; then
		opts+=(-XX:SharedArchiveFile="$JSA")
	fi
	# shellcheck disable=SC2206 # word splitting of user-given JVM options is intended
	opts+=(${NEO4J_LOCAL_JAVA_OPTS:-})

	local auth=off
	[ -n "${NEO4J_LOCAL_PASSWORD:-}" ] && auth=on
	rm -f "$PIDFILE" "$INFO"
	: >"$LOG"
	local t0
	t0="$(date +%s%N)"
	# setsid: own session, so a Ctrl-C in the calling terminal does not hit it; signals from
	# 'stop' go straight to the JVM (no wrapper process).
	NEO4J_LOCAL_PORT="$PORT" setsid "$JAVA" "${opts[@]}" -cp "$(cat "$CPFILE")" \
		"$MAIN_CLASS" "$data" </dev/null >>"$LOG" 2>&1 &
	pid=$!
	echo "$pid" >"$PIDFILE"
	printf 'port=%s\nauth=%s\ndata=%s\npid=%s\n' "$PORT" "$auth" "$data" "$pid" >"$INFO"

	local timeout="${NEO4J_LOCAL_TIMEOUT:-120}"
	local deadline=$((SECONDS + timeout))
	while :; do
		if ! alive "$pid"; then
			rm -f "$PIDFILE" "$INFO"
			log_tail 60
			die "Neo4j exited during startup (see $LOG)"
		fi
		if grep -q '^neo4j-local ready ' "$LOG" 2>/dev/null && port_open "$PORT"; then
			break
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			log_tail 60
			say "Bolt did not answer on 127.0.0.1:$PORT within ${timeout}s; stopping it"
			cmd_stop || true
			die "start timed out (log: $LOG)"
		fi
		sleep 0.2
	done
	local ms=$((($(date +%s%N) - t0) / 1000000))
	say "started (pid $pid, auth $auth) in ${ms} ms: bolt://127.0.0.1:$PORT"
}

cmd_stop() {
	local pid
	pid="$(running_pid)"
	if [ -z "$pid" ]; then
		rm -f "$PIDFILE" "$INFO"
		say "not running"
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null || true
	local timeout="${NEO4J_LOCAL_STOP_TIMEOUT:-30}"
	local deadline=$((SECONDS + timeout))
	while alive "$pid"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			say "still running ${timeout}s after SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.5
			break
		fi
		sleep 0.1
	done
	rm -f "$PIDFILE" "$INFO"
	say "stopped (pid $pid)"
}

cmd_status() {
	local pid
	pid="$(running_pid)"
	if [ -z "$pid" ]; then
		echo "neo4j-local: stopped"
		return 3
	fi
	local rport
	rport="$(info_get port)"
	local bolt="not answering"
	port_open "${rport:-$PORT}" && bolt="answering"
	echo "neo4j-local: running pid $pid, bolt://127.0.0.1:${rport:-$PORT} ($bolt), auth $(info_get auth), data $(info_get data), log $LOG"
}

cmd_env() {
	local port auth
	port="$PORT"
	auth=off
	[ -n "${NEO4J_LOCAL_PASSWORD:-}" ] && auth=on
	if [ -n "$(running_pid)" ]; then
		port="$(info_get port)"
		auth="$(info_get auth)"
	fi
	echo "export NEO4J_URI=bolt://127.0.0.1:$port"
	if [ "$auth" = "on" ]; then
		echo "export NEO4J_USER=neo4j"
		if [ -n "${NEO4J_LOCAL_PASSWORD:-}" ]; then
			echo "export NEO4J_PASSWORD=$(printf '%q' "$NEO4J_LOCAL_PASSWORD")"
		else
			echo "# auth is on: set NEO4J_PASSWORD to the NEO4J_LOCAL_PASSWORD it was started with"
		fi
	fi
}

case "${1:-}" in
build) cmd_build ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
restart)
	cmd_stop
	cmd_start
	;;
*)
	echo "usage: $0 {build|start|stop|status|env|restart}" >&2
	exit 2
	;;
esac
