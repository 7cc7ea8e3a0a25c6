#!/usr/bin/env bash
# make bench-fleet: two `portal serve` processes on one PostgreSQL behind HAProxy
# (the configuration of deploy/haproxy.cfg, rewritten for 127.0.0.1), measured
# with web/load_test.go (TestLoad) and web/fleet_load_test.go (TestFleetLoad):
#   (a) the page table with one server (direct) and two (through HAProxy), and
#       SQLite's on the same data for comparison;
#   (b) 20 reviewers approving across both servers (back to back, then one every 250 ms each),
#       then the money checked;
#   (c) kill -9 of one server in the middle of the approvals;
#   (d) a rolling restart (SIGTERM, start, healthy; then the other) during a run.
# Each run starts from a fresh copy of the seeded database (CREATE DATABASE ...
# TEMPLATE), so runs approve the same waiting bonuses and can be repeated.
#
# Settings (environment):
#   BENCH_FLEET_DB      the seeded PostgreSQL database (created and seeded once when
#                       missing; reused when seeded). Default: portal_bench on 127.0.0.1
#                       as role portal_bench (which needs CREATEDB; made when run as root).
#   BENCH_FLEET_SEED    extra `portal seed --scale` flags, e.g. "--creators 5000 --agencies 100 --weeks 12"
#                       (use another BENCH_FLEET_DB for another size)
#   BENCH_FLEET_SQLITE  SQLite file seeded alike for the comparison column ("" to skip); default bench-fleet.db
#   BENCH_FLEET_RESEED=1  drop the seeded database first
#   LOAD_SECONDS (5), LOAD_CLIENTS (64), FLEET_SECONDS (20), DRAIN_DELAY (3s)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/bin/portal
DB_URL=${BENCH_FLEET_DB:-postgres://portal_bench:portal_bench@127.0.0.1:5432/portal_bench?sslmode=disable}
SEED_FLAGS=${BENCH_FLEET_SEED:-}
SQLITE_DB=${BENCH_FLEET_SQLITE-bench-fleet.db}
LOAD_SECONDS=${LOAD_SECONDS:-5}
FLEET_SECONDS=${FLEET_SECONDS:-20}
DRAIN_DELAY=${DRAIN_DELAY:-3s}
PORTS=(18081 18082)
FRONT=18080
STATS=18404
STATE=$ROOT/.bench-fleet        # keys (kept: the seeded audit chain is under them) and logs
WORK=$(mktemp -d /tmp/bench-fleet.XXXXXX)
mkdir -p "$STATE/keys"

die() { echo "bench-fleet: $*" >&2; exit 1; }
command -v haproxy >/dev/null || die "haproxy is not installed: apt-get update && apt-get install -y haproxy"
command -v psql >/dev/null || die "psql is not installed: apt-get install -y postgresql-client"
[ -x "$BIN" ] || die "$BIN is missing: make build"

# Every process this script starts has a pid file in $WORK; all go on exit or interrupt.
cleanup() {
	local f
	for f in "$WORK"/*.pid; do
		[ -e "$f" ] || continue
		kill -9 "$(cat "$f")" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The seeded database's name and a URL for its sibling databases (same server, same role).
DB_NAME=$(sed -E 's|^[a-z]+://[^/]+/([^?]+).*|\1|' <<<"$DB_URL")
RUN_NAME=${DB_NAME}_run
with_db() { sed -E "s|^([a-z]+://[^/]+/)[^?]+|\1$1|" <<<"$DB_URL"; }
RUN_URL=$(with_db "$RUN_NAME")
ADMIN_URL=$(with_db postgres)
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }

if ! psql_admin -c 'SELECT 1' >/dev/null 2>&1; then
	role=$(sed -E 's|^[a-z]+://([^:@/]+).*|\1|' <<<"$DB_URL")
	pass=$(sed -E 's|^[a-z]+://[^:]+:([^@]+)@.*|\1|' <<<"$DB_URL")
	[ "$(id -u)" = 0 ] || die "cannot connect to $ADMIN_URL: create the role $role (LOGIN CREATEDB) first"
	su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<<"CREATE ROLE $role LOGIN CREATEDB PASSWORD '$pass';" || die "cannot create the role $role"
fi
if [ "${BENCH_FLEET_RESEED:-}" = 1 ]; then
	psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
	psql_admin -c "CREATE DATABASE $DB_NAME"
fi
echo "== seeding $DB_NAME (reused when already seeded) $SEED_FLAGS" >&2
(cd "$STATE" && DATABASE_URL=$DB_URL KEY_DIR=$STATE/keys "$BIN" seed --scale $SEED_FLAGS) >&2
if [ -n "$SQLITE_DB" ]; then
	(cd "$STATE" && DATABASE_URL=$ROOT/$SQLITE_DB KEY_DIR=$STATE/keys "$BIN" seed --scale $SEED_FLAGS) >&2
fi

# A fresh copy of the seeded database, schema brought up to date once (the release's `portal migrate`).
fresh_run_db() {
	stop_all
	psql_admin -c "DROP DATABASE IF EXISTS $RUN_NAME WITH (FORCE)"
	psql_admin -c "CREATE DATABASE $RUN_NAME TEMPLATE $DB_NAME"
	(cd "$STATE" && DATABASE_URL=$RUN_URL KEY_DIR=$STATE/keys "$BIN" migrate) >/dev/null
}

# start_server N [database]: portal N (1 or 2) on 127.0.0.1, waits until /healthz answers 200.
start_server() {
	local n=$1 db=${2:-$RUN_URL} port=${PORTS[$(($1 - 1))]}
	(cd "$STATE" && DATABASE_URL=$db KEY_DIR=$STATE/keys exec "$BIN" serve --addr 127.0.0.1:"$port" \
		--trusted-proxies 127.0.0.1/32 --drain-delay "$DRAIN_DELAY" >>"$STATE/portal$n.log" 2>&1) &
	echo $! >"$WORK/portal$n.pid"
	disown $! # a kill -9 below is meant: no "Killed" notice from the shell
	for _ in $(seq 1 300); do
		curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
		kill -0 "$(cat "$WORK/portal$n.pid")" 2>/dev/null || die "portal $n did not start: see $STATE/portal$n.log"
		sleep 0.1
	done
	die "portal $n is not healthy after 30 s: see $STATE/portal$n.log"
}

# stop_server N: SIGTERM (the drain), then wait for the exit.
stop_server() {
	local f=$WORK/portal$1.pid
	[ -e "$f" ] || return 0
	local pid; pid=$(cat "$f")
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	rm -f "$f"
}

stop_all() {
	stop_server 1; stop_server 2
	if [ -e "$WORK/haproxy.pid" ]; then kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true; rm -f "$WORK/haproxy.pid"; fi
}

# HAProxy with deploy/haproxy.cfg, its "# bench:" lines rewritten for this machine.
start_haproxy() {
	local cfg=$WORK/haproxy.cfg
	awk -v front="$FRONT" -v stats="$STATS" -v p1="${PORTS[0]}" -v p2="${PORTS[1]}" '
		/# bench: removed/ { next }
		/# bench: bind/ { print "\tbind 127.0.0.1:" front; next }
		/# bench: stats/ { print "\tbind 127.0.0.1:" stats; next }
		/# bench: servers/ { if (!done) { print "\tserver portal1 127.0.0.1:" p1 " check"; print "\tserver portal2 127.0.0.1:" p2 " check"; done = 1 }; next }
		{ print }' deploy/haproxy.cfg >"$cfg"
	haproxy -c -q -f "$cfg" || die "the generated HAProxy configuration is not valid: $cfg"
	haproxy -db -f "$cfg" >>"$STATE/haproxy.log" 2>&1 &
	echo $! >"$WORK/haproxy.pid"
	wait_up portal1 UP; wait_up portal2 UP
}

# server_state NAME: HAProxy's view of a server (UP, DOWN, ...), from its statistics page.
server_state() { curl -fs "http://127.0.0.1:$STATS/;csv" | awk -F, -v s="$1" '$1 == "portal" && $2 == s { print $18 }'; }
wait_up() {
	for _ in $(seq 1 200); do
		[[ "$(server_state "$1")" == $2* ]] && return 0
		sleep 0.1
	done
	die "HAProxy does not see $1 $2: see $STATE/haproxy.log"
}

TESTBIN=$WORK/web.test
go test -c -o "$TESTBIN" ./web/ || die "cannot build the web tests"
run_test() { (cd web && exec "$TESTBIN" -test.count=1 -test.v -test.timeout 30m "$@"); }

# page_rows FILE: the page table's rows of a TestLoad output (page|req/s|p50|p99|errors).
page_rows() { awk -F' \\| ' '/^\| page \| req\/s/ { on = 1; getline; next } on && !/^\|/ { exit } on { sub(/^\| /, ""); print $1 "\t" $2 "\t" $3 "\t" $4 "\t" $5 }' "$1"; }
deep_rows() { awk '/^\| list \|/ { on = 1; getline; next } on && !/^\|/ { exit } on { print }' "$1"; }

OUT=$WORK/out; mkdir -p "$OUT"
export LOAD_SECONDS LOAD_CLIENTS=${LOAD_CLIENTS:-64}

echo "== (a) page table: one server, direct" >&2
fresh_run_db; start_server 1
LOAD_URL="http://127.0.0.1:${PORTS[0]}" run_test -test.run '^TestLoad$' >"$OUT/one.txt" 2>&1 || true
echo "== (a) page table: two servers through HAProxy" >&2
fresh_run_db; start_server 1; start_server 2; start_haproxy
LOAD_URL="http://127.0.0.1:$FRONT" run_test -test.run '^TestLoad$' >"$OUT/two.txt" 2>&1 || true
if [ -n "$SQLITE_DB" ]; then
	echo "== (a) page table: SQLite, one server" >&2
	stop_all; start_server 1 "$ROOT/$SQLITE_DB"
	LOAD_URL="http://127.0.0.1:${PORTS[0]}" run_test -test.run '^TestLoad$' >"$OUT/sqlite.txt" 2>&1 || true
	stop_all
fi

export FLEET_URL="http://127.0.0.1:$FRONT" FLEET_DB="$RUN_URL" FLEET_SECONDS FLEET_STARTED="$WORK/started"
fleet_run() { # fleet_run OUTFILE LABEL [VAR=value...]: TestFleetLoad in the background; its pid in $WORK/fleet.pid
	local out=$1 label=$2; shift 2
	rm -f "$WORK/started"
	(export FLEET_LABEL="$label" ${*:+"$@"}; cd web && exec "$TESTBIN" -test.count=1 -test.v -test.timeout 30m -test.run '^TestFleetLoad$') >"$out" 2>&1 &
	echo $! >"$WORK/fleet.pid"
	for _ in $(seq 1 600); do
		[ -e "$WORK/started" ] && return 0
		kill -0 "$(cat "$WORK/fleet.pid")" 2>/dev/null || { cat "$out" >&2; die "TestFleetLoad stopped before its load started"; }
		sleep 0.1
	done
	die "TestFleetLoad did not start its load within 60 s"
}
fleet_wait() { wait "$(cat "$WORK/fleet.pid")" || true; rm -f "$WORK/fleet.pid"; }

echo "== (b) 20 reviewers approving across both servers" >&2
fresh_run_db; start_server 1; start_server 2; start_haproxy
fleet_run "$OUT/approve.txt" "20 reviewers, both servers, nothing else" FLEET_READERS=0
fleet_wait
# The same reviewers at a pace: each sends an approval every 250 ms (80 a second offered, spread).
fleet_run "$OUT/paced.txt" "20 reviewers, both servers, one approval each every 250 ms" FLEET_READERS=0 FLEET_PACE_MS=250
fleet_wait

echo "== (c) kill -9 of one server in the middle of the approvals" >&2
fresh_run_db; start_server 1; start_server 2; start_haproxy
fleet_run "$OUT/kill.txt" "kill -9 of portal2 at mid-run"
sleep $((FLEET_SECONDS / 2))
killed=$(date +%s.%N); kill -9 "$(cat "$WORK/portal2.pid")"; rm -f "$WORK/portal2.pid"
wait_up portal2 DOWN; down=$(date +%s.%N)
fleet_wait
KILL_NOTE=$(printf 'HAProxy marked portal2 DOWN %.1f s after the kill -9 (checks every 1 s, 2 failures).' "$(echo "$down - $killed" | bc)")

echo "== (d) rolling restart during the run" >&2
fresh_run_db; start_server 1; start_server 2; start_haproxy
fleet_run "$OUT/rolling.txt" "rolling restart (SIGTERM, start, healthy; then the other)" FLEET_SECONDS=$((FLEET_SECONDS + 15)) FLEET_EXPECT_NO_FAILURES=1
sleep 2
for n in 1 2; do
	stop_server "$n"; start_server "$n"; wait_up "portal$n" UP
done
fleet_wait
stop_all

# The report, in Markdown.
{
	echo
	echo "### Pages: PostgreSQL with one server (direct) and two (through HAProxy)$([ -n "$SQLITE_DB" ] && echo ', and SQLite')"
	echo
	grep -h -m1 'signed-in clients' "$OUT/one.txt" || true
	echo
	join_tables() {
		awk -F'\t' -v sqlite="$([ -n "$SQLITE_DB" ] && echo 1)" '
			FILENAME == ARGV[1] { one[$1] = $2 " | " $3 " | " $4 " | " $5; order[++n] = $1; r1[$1] = $2; next }
			FILENAME == ARGV[2] { two[$1] = $2 " | " $3 " | " $4 " | " $5; r2[$1] = $2; next }
			{ lite[$1] = $2 }
			END {
				printf "| page | 1 server req/s | p50 ms | p99 ms | errors | 2 servers req/s | p50 ms | p99 ms | errors | 2 ÷ 1 |"
				if (sqlite) printf " SQLite req/s | PostgreSQL (1 server) ÷ SQLite (≥ 0.5) |"
				print ""; printf "|---|---|---|---|---|---|---|---|---|---|"; if (sqlite) printf "---|---|"; print ""
				for (i = 1; i <= n; i++) {
					p = order[i]
					printf "| %s | %s | %s | %.2f |", p, one[p], (p in two ? two[p] : "– | – | – | –"), (r1[p] > 0 ? r2[p] / r1[p] : 0)
					if (sqlite) printf " %s | %s |", (p in lite ? lite[p] : "–"), (lite[p] > 0 ? sprintf("%.2f %s", r1[p] / lite[p], (r1[p] / lite[p] >= 0.5 ? "✓" : "✗")) : "–")
					print ""
				}
			}' "$WORK/one.tsv" "$WORK/two.tsv" "$WORK/sqlite.tsv"
	}
	page_rows "$OUT/one.txt" >"$WORK/one.tsv"; page_rows "$OUT/two.txt" >"$WORK/two.tsv"
	if [ -n "$SQLITE_DB" ]; then page_rows "$OUT/sqlite.txt" >"$WORK/sqlite.tsv"; else : >"$WORK/sqlite.tsv"; fi
	join_tables
	echo
	echo "Deep pages, PostgreSQL, one server:"; echo; deep_rows "$OUT/one.txt"
	echo; echo "Deep pages, PostgreSQL, two servers:"; echo; deep_rows "$OUT/two.txt"
	echo
	echo "TestLoad's approval race (20 reviewers), one server then two:"; echo
	grep -h -A2 '^| 20 reviewers approving' "$OUT/one.txt" || true
	grep -h '^| [0-9]* requests' "$OUT/two.txt" || true
	echo
	echo "### The fleet under approvals, a kill -9 and a rolling restart"
	echo
	grep -h -m1 -A1 '^| fleet run' "$OUT/approve.txt" "$OUT/paced.txt" "$OUT/kill.txt" "$OUT/rolling.txt" | head -2
	for f in approve paced kill rolling; do
		grep -h -A2 '^| fleet run' "$OUT/$f.txt" | tail -1 | grep '^|' || echo "| $f | (failed: $(grep -h -m1 -E 'Error|FAIL|fatal' "$OUT/$f.txt")) |"
	done
	echo
	echo "$KILL_NOTE"
	grep -h -E '^\s+[a-z_]+_test.go:[0-9]+:|^--- FAIL' "$OUT"/*.txt | sed 's/^/    /' || true
} | tee "$STATE/report.md"
echo >&2; echo "bench-fleet: the report is in $STATE/report.md; logs in $STATE/" >&2
# A run whose test failed measured nothing worth keeping: say so in the exit status.
if grep -q -E '^--- FAIL' "$OUT"/*.txt; then
	echo "bench-fleet: a run failed (see the lines above)" >&2
	exit 1
fi
