#!/usr/bin/env bash
# Soak: `serve` (JVM mode) with a cycle every second for MINUTES minutes, a remediation every few minutes, its memory
# sampled after a full GC each SAMPLE seconds; the slope after warm-up says whether it grows.
#
#   bench/soak.sh                                  # MINUTES=5 SAMPLE=60 REMEDIATE_EVERY=180 WARM_UP=120
#   MINUTES=30 bench/soak.sh                       # what docs/benchmarks.md shows
#   JAVA_OPTS="-XX:MaxRAM=192m -XX:+UseSerialGC" MINUTES=30 bench/soak.sh
#
# What it does:
#   1. finds a JDK 21+ (as ./dev does) and Debian's prometheus (apt-get installs it when missing, as root); builds
#      target/quarkus-app/quarkus-run.jar through ./dev when it is missing or older than src/;
#   2. runs src/test/java/dev/modelguardian/bench/SoakBenchmark.java (plain JUnit, only with -Dbench=true): `java
#      [JAVA_OPTS] -jar target/quarkus-app/quarkus-run.jar serve` as its own process with the bundled Neural Hive
#      defaults (guardian.interval 1s, cooldown 30s, verify-window 20s: bench/out/soak-guardian.yaml), against the
#      fabric8 mock API server (CRUD mode, in the test JVM) and a throwaway prometheus on loopback scraping the model
#      server's metrics (bench/neural-hive-healthy.metrics) every second. Every REMEDIATE_EVERY seconds one feature's
#      drift breaches (PSI 0.41 > 0.25): the guardian creates a retraining Job, the test completes it and puts the
#      metric back, the remediation verifies and ends. Every SAMPLE seconds: `jcmd PID GC.run`, then heap used
#      (/q/metrics), VmRSS (/proc/PID/status), non-heap committed, live threads, cycles done;
#   3. with -XX:NativeMemoryTracking=summary in JAVA_OPTS, also the JVM's own account at the end (jcmd
#      VM.native_memory summary) in bench/out/soak-nmt.txt;
#   4. writes bench/out/soak.{tsv,md,svg} and serve's log bench/out/soak-serve.log (gitignored), and prints a
#      Markdown block for docs/benchmarks.md: the table with the slopes, the machine, the command.
#
# Run it on an otherwise idle machine.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
MINUTES=${MINUTES:-5}
SAMPLE=${SAMPLE:-60}
REMEDIATE_EVERY=${REMEDIATE_EVERY:-180}
WARM_UP=${WARM_UP:-120}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=bench/out
JAR=target/quarkus-app/quarkus-run.jar

die() { echo "soak: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ $MINUTES =~ ^[1-9][0-9]*$ ]] || die "MINUTES must be a whole number of minutes (got '$MINUTES')"
[[ $SAMPLE =~ ^[1-9][0-9]*$ ]] || die "SAMPLE must be a number of seconds (got '$SAMPLE')"
[[ $REMEDIATE_EVERY =~ ^[1-9][0-9]*$ ]] || die "REMEDIATE_EVERY must be a number of seconds (got '$REMEDIATE_EVERY')"
[[ $WARM_UP =~ ^[0-9]+$ ]] || die "WARM_UP must be a number of seconds (got '$WARM_UP')"
(( WARM_UP + 2 * SAMPLE <= MINUTES * 60 )) || die "MINUTES ($MINUTES) must leave two samples after WARM_UP ($WARM_UP s)"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ -x "$candidate/bin/jcmd" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
JAVA_HOME=$(find_jdk) || die "no JDK 21 or newer with jcmd found (JAVA_HOME or /usr/lib/jvm/*)"
export JAVA_HOME

PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$PROMETHEUS" ]; then
  [ "$(id -u)" -eq 0 ] || die "$PROMETHEUS missing: install it (apt-get install -y prometheus)"
  log "installing prometheus"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus >/dev/null
fi

log "building $JAR through ./dev if needed"
./dev run --help >/dev/null || die "could not build $JAR (./dev run --help failed)"
[ -f "$JAR" ] || die "$JAR still missing after the build"

mkdir -p "$OUT"
rm -f "$OUT"/soak.* "$OUT/soak-serve.log" "$OUT/soak-nmt.txt"
MVN_ARGS=(-B -q test -Dtest=SoakBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true
  "-Dbench.soak-seconds=$(( MINUTES * 60 ))" "-Dbench.sample-seconds=$SAMPLE"
  "-Dbench.remediate-every-seconds=$REMEDIATE_EVERY" "-Dbench.warm-up-seconds=$WARM_UP"
  "-Dbench.java-opts=$JAVA_OPTS" "-Dprometheus.binary=$PROMETHEUS")
log "./mvnw ${MVN_ARGS[*]} (about $MINUTES min; output in $OUT/soak.log)"
started=$SECONDS
if ! ./mvnw "${MVN_ARGS[@]}" >"$OUT/soak.log" 2>&1; then
  tail -n 60 "$OUT/soak.log" >&2
  die "the soak failed; full output in $OUT/soak.log, serve's in $OUT/soak-serve.log"
fi
ELAPSED=$(( SECONDS - started ))
[ -s "$OUT/soak.md" ] || die "SoakBenchmark wrote no $OUT/soak.md (was it skipped? see $OUT/soak.log)"

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null | head -n 1)
[ -n "$DIRTY" ] && COMMIT+=" (with uncommitted changes under src/ or pom.xml)"
COMMAND="MINUTES=$MINUTES bench/soak.sh"
[ "$SAMPLE" != 60 ] && COMMAND="SAMPLE=$SAMPLE $COMMAND"
[ "$REMEDIATE_EVERY" != 180 ] && COMMAND="REMEDIATE_EVERY=$REMEDIATE_EVERY $COMMAND"
[ "$WARM_UP" != 120 ] && COMMAND="WARM_UP=$WARM_UP $COMMAND"
[ -n "$JAVA_OPTS" ] && COMMAND="JAVA_OPTS=\"$JAVA_OPTS\" $COMMAND"

cat <<EOF

<!-- generated by bench/soak.sh on $(date -u +%Y-%m-%dT%H:%MZ) in ${ELAPSED}s -->
$(cat "$OUT/soak.md")

Machine: $(nproc) cores ($CPU), $MEM RAM, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $JAVA_VERSION;
$("$PROMETHEUS" --version 2>&1 | head -n 1); fabric8 mock API server (CRUD mode) in the test JVM; model-guardian $COMMIT.
Chart: $OUT/soak.svg. Command: \`$COMMAND\`, which runs \`./mvnw ${MVN_ARGS[*]}\` and

\`\`\`sh
$(sed "s|$ROOT/||g; s|GUARDIAN_PROMETHEUS_URL=[^ ]*|GUARDIAN_PROMETHEUS_URL=http://127.0.0.1:PORT|; s|-Dkubernetes.master=[^ ]*|-Dkubernetes.master=MOCK|; s|-Dquarkus.http.port=[0-9]*|-Dquarkus.http.port=PORT|" "$OUT/soak.command")
\`\`\`
EOF
