#!/usr/bin/env bash
# Benchmark: what JDK 25's AOT cache (JEP 483/514/515) and the one-shot flags buy a short-lived `model-guardian` JVM.
# Trains a cache the way ./dev run does (one `replay` of the bundled default, no cluster needed), then times
# `--help` and `replay` RUNS times each (default 7) in four modes: plain `java -jar`, with the cache, with C1 only and
# the serial GC, and with both. Prints the medians and their ratio to plain, for docs/benchmarks.md.
#
#   bench/aot-startup.sh [RUNS]
#
# Needs a JDK 25+ (./dev picks one). Wall-clock per run from `date +%s%N`, output discarded.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
JAVA_HOME=$(./dev jdk)
export JAVA_HOME
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$major" -ge 25 ] 2>/dev/null || { echo "aot-startup: needs a JDK 25+ for -XX:AOTCacheOutput; ./dev picked $JAVA_HOME ($major)" >&2; exit 3; }
[ -f target/quarkus-app/quarkus-run.jar ] && [ -z "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ] \
  || ./mvnw -q -B package -DskipTests >&2
cd target/quarkus-app
cache=$(mktemp -d)/app.aot
"$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$cache" -jar quarkus-run.jar replay >/dev/null 2>&1 \
  || { echo "aot-startup: the training run (replay) failed" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A FLAGS=(
  [plain]=""
  [aot]="-XX:AOTCache=$cache"
  [c1-serial]="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  [aot+c1-serial]="-XX:AOTCache=$cache -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
)
echo "Command: bench/aot-startup.sh $RUNS ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(nproc) cores)"
echo
echo "| command | mode | median | ratio to plain | all runs (ms) |"
echo "|---|---|---|---|---|"
for cmd in "--help" "replay"; do
  base=""
  for mode in plain aot c1-serial aot+c1-serial; do
    runs=()
    for _ in $(seq "$RUNS"); do
      s=$(date +%s%N)
      # shellcheck disable=SC2086
      "$JAVA_HOME/bin/java" ${FLAGS[$mode]} -jar quarkus-run.jar $cmd >/dev/null 2>&1
      e=$(date +%s%N)
      runs+=($(( (e - s) / 1000000 )))
    done
    m=$(printf '%s\n' "${runs[@]}" | median)
    [ -z "$base" ] && base=$m
    echo "| \`$cmd\` | $mode | $m ms | $(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}') | $(printf '%s\n' "${runs[@]}" | sort -n | tr '\n' ' ')|"
  done
done
rm -rf "$(dirname "$cache")"
