#!/usr/bin/env bash
# Benchmark: reaction times of the registry step, between persisted steps inside the engine as serve wires it, with
# the real MLflow REST client against the MLflow stand-in and the fabric8 mock API server (both in the test JVM):
#   Job complete -> validation decided; validation failed -> flag patched / restart issued;
#   validation passed -> promoted and restart issued.
#
#   bench/rollback.sh                 # WARMUP=5 RUNS=15 (alternating bad and good candidates, so ~8 and ~7 of each)
#   RUNS=31 bench/rollback.sh
#
# Writes bench/out/rollback.md (gitignored) and prints it with the machine and the command, for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-5}
RUNS=${RUNS:-15}
JAVA_HOME=$(./dev jdk)
export JAVA_HOME
mkdir -p bench/out
./mvnw -B -q test -Dbench=true -Dbench.warmup="$WARMUP" -Dbench.runs="$RUNS" -Dtest=RollbackLatencyBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false > bench/out/rollback.log 2>&1 || { tail -50 bench/out/rollback.log; exit 1; }
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "Command: WARMUP=$WARMUP RUNS=$RUNS bench/rollback.sh"
echo
cat bench/out/rollback.md
