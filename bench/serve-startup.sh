#!/usr/bin/env bash
# Benchmark: `serve` (JVM mode) from process start to its first 200 on /q/health/ready, what happens on the way, and
# its resident memory once idle with a few cycles done.
#
#   bench/serve-startup.sh                         # RUNS=5 WARMUP=1 IDLE=75 INTERVAL=5s
#   RUNS=9 bench/serve-startup.sh                  # RUNS must be at least 5
#   JAVA_OPTS="-XX:MaxRAM=256m -XX:+UseSerialGC" bench/serve-startup.sh   # JVM options of the serve process
#   WAIT_IDLE=600 bench/serve-startup.sh           # first wait (at most 600 s) for 15 s in a row under 20% busy
#
# What it does:
#   1. finds a JDK 21+ (as ./dev does) and Debian's prometheus (apt-get installs it when missing, as root); builds
#      target/quarkus-app/quarkus-run.jar through ./dev when it is missing or older than src/;
#   2. runs src/test/java/dev/modelguardian/bench/ServeStartupBenchmark.java (plain JUnit, only with -Dbench=true),
#      which per run starts `java [JAVA_OPTS] -jar target/quarkus-app/quarkus-run.jar serve` as its own process with
#      the bundled Neural Hive defaults, against the fabric8 mock API server (CRUD mode, in the test JVM: Neural Hive's
#      CronJob, flag ConfigMap and Deployment; Lease and state deleted before each run) and a throwaway prometheus on
#      loopback scraping bench/neural-hive-healthy.metrics every second; polls /q/health/ready every 10 ms until the
#      first 200; reads VmRSS from /proc/PID/status at ready, 30 s later and IDLE seconds after ready, then sends
#      SIGTERM. A full cycle runs as soon as the Lease is held, then at every tick of the scheduler, which comes every
#      INTERVAL (guardian.remediation.relist-interval; guardian.interval is set to 1s so that every tick is a full
#      cycle), the first tick 1 s after start (ServeLoop's @Scheduled delay): IDLE=75 sees about a dozen cycles;
#   3. the class writes its raw numbers (bench/out/serve-startup.tsv), its tables (bench/out/serve-startup.md), each
#      run's log and API requests (bench/out/serve-startup-run*.{log,requests.tsv}); Maven's output goes to
#      bench/out/serve-startup.log (all gitignored);
#   4. prints a Markdown block for docs/benchmarks.md: the tables, the machine, how busy it was, the command.
#
# Run it on an otherwise idle machine: the JVM start-up is CPU-bound, and a parallel build shows up in every number.
# The block records how busy the CPUs were just before the run and what share of the machine other processes used
# during it (all CPU time minus this script's children); it warns above 10%. The tables also give that share per run,
# for the start-up window and for the idle period separately.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
IDLE=${IDLE:-75}
INTERVAL=${INTERVAL:-5s}
WAIT_IDLE=${WAIT_IDLE:-0}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=bench/out
JAR=target/quarkus-app/quarkus-run.jar
TEST_CLASS=ServeStartupBenchmark

die() { echo "serve-startup: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ $RUNS =~ ^[0-9]+$ ]] && (( RUNS >= 5 )) || die "RUNS must be an integer >= 5 (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be an integer (got '$WARMUP')"
[[ $IDLE =~ ^[0-9]+$ ]] || die "IDLE must be a number of seconds (got '$IDLE')"
[[ $INTERVAL =~ ^[1-9][0-9]*s$ ]] || die "INTERVAL must be a number of seconds such as 5s (got '$INTERVAL')"
# The idle figures are read 30 s after ready and at the end; at least 2 ticks after the 30 s mark.
(( 30 + ${INTERVAL%s} * 2 <= IDLE )) || die "IDLE ($IDLE s) must be at least 30 s + 2 x INTERVAL ($INTERVAL)"
[[ $WAIT_IDLE =~ ^[0-9]+$ ]] || die "WAIT_IDLE must be a number of seconds (got '$WAIT_IDLE')"

# shellcheck source=bench/common.sh
. bench/common.sh
bench_jdk

bench_prometheus

# ./dev builds the jar when it is missing or older than src/ or pom.xml; --help starts nothing.
log "building $JAR through ./dev if needed"
./dev run --help >/dev/null || die "could not build $JAR (./dev run --help failed)"
[ -f "$JAR" ] || die "$JAR still missing after the build"

mkdir -p "$OUT"
rm -f "$OUT/serve-startup.md" "$OUT/serve-startup.tsv" "$OUT"/serve-startup-run*
MVN_ARGS=(-B -q test "-Dtest=$TEST_CLASS" -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true "-Dbench.runs=$RUNS"
  "-Dbench.warmup=$WARMUP" "-Dbench.idle-seconds=$IDLE" "-Dbench.interval=$INTERVAL" "-Dbench.java-opts=$JAVA_OPTS"
  "-Dbench.clk-tck=$(getconf CLK_TCK)" "-Dprometheus.binary=$PROMETHEUS")
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
WAITED=0
if (( WAIT_IDLE > 0 )); then
  # Idle means under 20% busy for 5 samples in a row (15 s): a short gap in another build is not idle.
  deadline=$(( SECONDS + WAIT_IDLE ))
  started_wait=$SECONDS
  idle=0
  while (( idle < 5 && SECONDS < deadline )); do
    if (( BUSY_BEFORE <= 20 )); then idle=$(( idle + 1 )); else idle=0; log "CPUs ${BUSY_BEFORE}% busy; waiting"; fi
    (( idle < 5 )) && BUSY_BEFORE=$(cpu_busy_percent)
  done
  WAITED=$(( SECONDS - started_wait ))
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if (( BUSY_BEFORE > 20 )); then
  log "WARNING: the CPUs were ${BUSY_BEFORE}% busy before the run; something else is running and every number will show it"
fi
log "./mvnw ${MVN_ARGS[*]} (CPU ${BUSY_BEFORE}% busy before; output in $OUT/serve-startup.log)"
# CPU of the whole machine (busy jiffies of /proc/stat) and of this script's finished children (Maven, the test JVM,
# prometheus, serve: cutime + cstime of /proc/$$/stat), so that what other processes used during the run can be told
# apart.
machine_busy_ticks() { head -n 1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9 }'; }
children_ticks() { sed 's/^.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'; }
busy_before=$(machine_busy_ticks)
children_before=$(children_ticks)
started_ns=$(date +%s%N)
started=$SECONDS
if ! ./mvnw "${MVN_ARGS[@]}" >"$OUT/serve-startup.log" 2>&1; then
  tail -n 60 "$OUT/serve-startup.log" >&2
  die "the benchmark failed; full output in $OUT/serve-startup.log (each run's log: $OUT/serve-startup-run*.log)"
fi
ELAPSED=$(( SECONDS - started ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(awk -v busy=$(( $(machine_busy_ticks) - busy_before )) -v ours=$(( $(children_ticks) - children_before )) \
  -v hz="$(getconf CLK_TCK)" -v wall_ns=$(( $(date +%s%N) - started_ns )) -v cores="$(nproc)" \
  'BEGIN { o = (busy - ours) / hz; if (o < 0) o = 0; printf "%.0f", 100 * o / (wall_ns / 1e9 * cores) }')
if (( OTHERS > 10 )); then
  log "WARNING: other processes used ${OTHERS}% of the machine during the run; the numbers are not from an idle machine"
fi
[ -s "$OUT/serve-startup.md" ] || die "$TEST_CLASS wrote no $OUT/serve-startup.md (was it skipped? see $OUT/serve-startup.log)"

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
# What the JVM picks for the serve process with these options on this machine (collector, heap sizes).
read -r GC MAX_HEAP INITIAL_HEAP < <("$JAVA_HOME/bin/java" $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null | awk '
  $2 ~ /^Use(Serial|Parallel|G1|Z|Shenandoah)GC$/ && $4 == "true" { gc = $2 }
  $2 == "MaxHeapSize" { max = $4 } $2 == "InitialHeapSize" { init = $4 }
  END { printf "%s %.0f %.0f\n", gc, max / 1048576, init / 1048576 }')
PROM_VERSION=$("$PROMETHEUS" --version 2>&1 | head -n 1)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null | head -n 1)
[ -n "$DIRTY" ] && COMMIT+=" (with uncommitted changes under src/ or pom.xml)"
COMMAND="RUNS=$RUNS bench/serve-startup.sh"
[ "$WARMUP" != 1 ] && COMMAND="WARMUP=$WARMUP $COMMAND"
[ "$IDLE" != 75 ] && COMMAND="IDLE=$IDLE $COMMAND"
[ "$INTERVAL" != 5s ] && COMMAND="INTERVAL=$INTERVAL $COMMAND"
[ -n "$JAVA_OPTS" ] && COMMAND="JAVA_OPTS=\"$JAVA_OPTS\" $COMMAND"
[ "$WAIT_IDLE" != 0 ] && COMMAND="WAIT_IDLE=$WAIT_IDLE $COMMAND"

cat <<EOF

<!-- generated by bench/serve-startup.sh on $(date -u +%Y-%m-%dT%H:%MZ) in ${ELAPSED}s -->
$(cat "$OUT/serve-startup.md")

Machine: $(nproc) cores ($CPU), $MEM RAM; CPU ${BUSY_BEFORE}% busy in the 3 s before the run (after waiting ${WAITED} s for idle CPUs), other processes used ${OTHERS}% of the machine during it (load average $LOAD_BEFORE before, $LOAD_AFTER after, the benchmark's own processes included); $JAVA_VERSION, which picks $GC with a ${MAX_HEAP} MiB maximum and ${INITIAL_HEAP} MiB initial heap for these options on this machine; $PROM_VERSION; fabric8 mock API server (CRUD mode) in the test JVM; model-guardian $COMMIT.

Command: \`$COMMAND\`, which runs

\`\`\`sh
./mvnw ${MVN_ARGS[*]}
\`\`\`

and, per run (port and mock server URL vary):

\`\`\`sh
$(sed "s|$ROOT/||g" "$OUT/serve-startup.command" 2>/dev/null)
\`\`\`
EOF
