#!/usr/bin/env bash
# Benchmark: one `serve` cycle for 1 to 500 policies (1000 with SIZES=1,10,100,500,1000) against a real Prometheus,
# and the time from a firing policy to its training Job inside a cycle.
#
#   bench/serve-cycle.sh                       # RUNS=15 WARMUP=5 JVM_WARMUP=30 SIZES=1,10,100,500 CONCURRENCY=1,4,16
#   RUNS=31 bench/serve-cycle.sh               # RUNS must be at least 5
#   SIZES=1,10,100,500,1000 bench/serve-cycle.sh
#   WAIT_IDLE=600 bench/serve-cycle.sh         # first wait (at most 600 s) for 15 s in a row under 20% busy
#   SHAPES=distinct bench/serve-cycle.sh       # every query read alone: a regex matcher (model=~"m042") where the
#                                              # default's queries differ only by label values and are batched
#   HISTORY=50 bench/serve-cycle.sh            # each target's record holds 50 finished remediations (default 0),
#                                              # as guardian.state.history's default keeps at most
#   BACKFILL_MINUTES=60 bench/serve-cycle.sh   # policies with a for of 60 min, each steady-state cycle without
#                                              # policy statuses: every policy backfilled, as in a first cycle
#   FOLLOW=false bench/serve-cycle.sh          # list the state every cycle instead of following it as serve does
#   JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" bench/serve-cycle.sh   # flags for the test JVM (the
#                                              # cycle runs in it), e.g. those the JVM image gives serve
#
# What it does:
#   1. finds a JDK 21+ (as ./dev does) and Debian's prometheus (apt-get installs it when missing, as root);
#   2. runs src/test/java/dev/modelguardian/bench/ServeCycleBenchmark.java, a @QuarkusTest that only runs with
#      -Dbench=true: the guardian's engine wired as `serve` wires it, against the fabric8 mock API server (CRUD mode,
#      in the test JVM) and a throwaway prometheus on loopback scraping every benchmark series each second;
#   3. the class writes its raw numbers (bench/out/serve-cycle.tsv: one row per run and metric) and its tables
#      (bench/out/serve-cycle.md); Maven's output goes to bench/out/serve-cycle.log (all gitignored);
#   4. prints a Markdown block for docs/benchmarks.md: the tables, the machine, how busy it was, the command.
#
# Run it on an otherwise idle machine: the test JVM, the mock API server and prometheus share its cores, and a
# parallel build shows up in every number. The block records how busy the CPUs were just before the run and what
# share of the machine other processes used during it (all CPU time minus this script's children); it warns above 10%.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-15}
WARMUP=${WARMUP:-5}
JVM_WARMUP=${JVM_WARMUP:-30}
SIZES=${SIZES:-1,10,100,500}
CONCURRENCY=${CONCURRENCY:-1,4,16}
WAIT_IDLE=${WAIT_IDLE:-0}
JAVA_OPTS=${JAVA_OPTS:-}
SHAPES=${SHAPES:-shared}
HISTORY=${HISTORY:-0}
BACKFILL_MINUTES=${BACKFILL_MINUTES:-0}
FOLLOW=${FOLLOW:-true}
OUT=bench/out
TEST_CLASS=ServeCycleBenchmark

die() { echo "serve-cycle: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ $RUNS =~ ^[0-9]+$ ]] && (( RUNS >= 5 )) || die "RUNS must be an integer >= 5 (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be an integer (got '$WARMUP')"
[[ $JVM_WARMUP =~ ^[0-9]+$ ]] || die "JVM_WARMUP must be an integer (got '$JVM_WARMUP')"
[[ $SIZES =~ ^[0-9]+(,[0-9]+)*$ ]] || die "SIZES must be comma-separated integers, ascending (got '$SIZES')"
[[ $CONCURRENCY =~ ^[0-9]+(,[0-9]+)*$ ]] || die "CONCURRENCY must be comma-separated integers (got '$CONCURRENCY')"
[[ $SHAPES == shared || $SHAPES == distinct ]] || die "SHAPES must be shared or distinct (got '$SHAPES')"
[[ $HISTORY =~ ^(0|[1-9][0-9]*)$ ]] || die "HISTORY must be a number of finished remediations per target (got '$HISTORY')"
[[ $BACKFILL_MINUTES =~ ^(0|[1-9][0-9]*)$ ]] || die "BACKFILL_MINUTES must be a number of minutes (got '$BACKFILL_MINUTES')"
[[ $FOLLOW == true || $FOLLOW == false ]] || die "FOLLOW must be true or false (got '$FOLLOW')"
[[ $WAIT_IDLE =~ ^[0-9]+$ ]] || die "WAIT_IDLE must be a number of seconds (got '$WAIT_IDLE')"

# shellcheck source=bench/common.sh
. bench/common.sh
bench_jdk

bench_prometheus

mkdir -p "$OUT"
rm -f "$OUT/serve-cycle.md" "$OUT/serve-cycle.tsv"
MVN_ARGS=(-B -q test "-Dtest=$TEST_CLASS" -Dbench=true "-Dbench.runs=$RUNS" "-Dbench.warmup=$WARMUP"
  "-Dbench.jvm-warmup=$JVM_WARMUP" "-Dbench.sizes=$SIZES" "-Dbench.concurrency=$CONCURRENCY"
  "-Dprometheus.binary=$PROMETHEUS")
[ -n "$JAVA_OPTS" ] && MVN_ARGS+=("-Dtest.jvm-flags=$JAVA_OPTS")
[ "$SHAPES" != shared ] && MVN_ARGS+=("-Dbench.shapes=$SHAPES")
[ "$HISTORY" != 0 ] && MVN_ARGS+=("-Dbench.history=$HISTORY")
[ "$BACKFILL_MINUTES" != 0 ] && MVN_ARGS+=("-Dbench.backfill-minutes=$BACKFILL_MINUTES")
[ "$FOLLOW" != true ] && MVN_ARGS+=("-Dbench.follow=$FOLLOW")
# Share of all cores busy over 3 s, from /proc/stat (user nice system idle iowait irq softirq steal).
cpu_busy_percent() {
  local before after
  before=$(head -n 1 /proc/stat)
  sleep 3
  after=$(head -n 1 /proc/stat)
  awk -v a="$before" -v b="$after" 'BEGIN {
    split(a, x, " "); split(b, y, " "); total = 0
    for (i = 2; i <= 9; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.0f", total ? 100 * (total - idle) / total : 0
  }'
}
BUSY_BEFORE=$(cpu_busy_percent)
if (( WAIT_IDLE > 0 )); then
  # Idle means under 20% busy for 5 samples in a row (15 s): a short gap in another build is not idle.
  deadline=$(( SECONDS + WAIT_IDLE ))
  idle=0
  while (( idle < 5 && SECONDS < deadline )); do
    if (( BUSY_BEFORE <= 20 )); then idle=$(( idle + 1 )); else idle=0; log "CPUs ${BUSY_BEFORE}% busy; waiting"; fi
    (( idle < 5 )) && BUSY_BEFORE=$(cpu_busy_percent)
  done
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if (( BUSY_BEFORE > 20 )); then
  log "WARNING: the CPUs were ${BUSY_BEFORE}% busy before the run; something else is running and every number will show it"
fi
log "./mvnw ${MVN_ARGS[*]} (CPU ${BUSY_BEFORE}% busy before; output in $OUT/serve-cycle.log)"
# CPU of the whole machine (busy jiffies of /proc/stat) and of this script's finished children (Maven, the test JVM,
# prometheus: cutime + cstime of /proc/$$/stat), so that what other processes used during the run can be told apart.
machine_busy_ticks() { head -n 1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9 }'; }
children_ticks() { sed 's/^.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'; }
busy_before=$(machine_busy_ticks)
children_before=$(children_ticks)
started_ns=$(date +%s%N)
started=$SECONDS
if ! ./mvnw "${MVN_ARGS[@]}" >"$OUT/serve-cycle.log" 2>&1; then
  tail -n 60 "$OUT/serve-cycle.log" >&2
  die "the benchmark failed; full output in $OUT/serve-cycle.log"
fi
ELAPSED=$(( SECONDS - started ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(awk -v busy=$(( $(machine_busy_ticks) - busy_before )) -v ours=$(( $(children_ticks) - children_before )) \
  -v hz="$(getconf CLK_TCK)" -v wall_ns=$(( $(date +%s%N) - started_ns )) -v cores="$(nproc)" \
  'BEGIN { o = (busy - ours) / hz; if (o < 0) o = 0; printf "%.0f", 100 * o / (wall_ns / 1e9 * cores) }')
if (( OTHERS > 10 )); then
  log "WARNING: other processes used ${OTHERS}% of the machine during the run; the numbers are not from an idle machine"
fi
[ -s "$OUT/serve-cycle.md" ] || die "$TEST_CLASS wrote no $OUT/serve-cycle.md (was it skipped? see $OUT/serve-cycle.log)"

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
PROM_VERSION=$("$PROMETHEUS" --version 2>&1 | head -n 1)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null | head -n 1)
[ -n "$DIRTY" ] && COMMIT+=" (with uncommitted changes under src/ or pom.xml)"
COMMAND="RUNS=$RUNS bench/serve-cycle.sh"
[ "$WARMUP" != 5 ] && COMMAND="WARMUP=$WARMUP $COMMAND"
[ "$JVM_WARMUP" != 30 ] && COMMAND="JVM_WARMUP=$JVM_WARMUP $COMMAND"
[ "$SIZES" != 1,10,100,500 ] && COMMAND="SIZES=$SIZES $COMMAND"
[ "$CONCURRENCY" != 1,4,16 ] && COMMAND="CONCURRENCY=$CONCURRENCY $COMMAND"
[ "$WAIT_IDLE" != 0 ] && COMMAND="WAIT_IDLE=$WAIT_IDLE $COMMAND"
[ "$SHAPES" != shared ] && COMMAND="SHAPES=$SHAPES $COMMAND"
[ "$HISTORY" != 0 ] && COMMAND="HISTORY=$HISTORY $COMMAND"
[ "$BACKFILL_MINUTES" != 0 ] && COMMAND="BACKFILL_MINUTES=$BACKFILL_MINUTES $COMMAND"
[ "$FOLLOW" != true ] && COMMAND="FOLLOW=$FOLLOW $COMMAND"
[ -n "$JAVA_OPTS" ] && COMMAND="JAVA_OPTS=\"$JAVA_OPTS\" $COMMAND"

cat <<EOF

<!-- generated by bench/serve-cycle.sh on $(date -u +%Y-%m-%dT%H:%MZ) in ${ELAPSED}s -->
$(cat "$OUT/serve-cycle.md")

Machine: $(nproc) cores ($CPU), $MEM RAM; CPU ${BUSY_BEFORE}% busy in the 3 s before the run, other processes used ${OTHERS}% of the machine during it (load average $LOAD_BEFORE before, $LOAD_AFTER after, the benchmark's own threads included); $JAVA_VERSION; $PROM_VERSION; fabric8 mock API server (CRUD mode) in the test JVM; model-guardian $COMMIT.

Command: \`$COMMAND\`, which runs

\`\`\`sh
./mvnw ${MVN_ARGS[*]}
\`\`\`
EOF
