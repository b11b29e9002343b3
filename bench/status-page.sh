#!/usr/bin/env bash
# Benchmark: what the status page costs the server for 50 targets (state read from the fabric8 mock API server and
# decoded, plus the overview's HTML), and a target's page with 5 charts over 6h (StatusPageBenchmark). Medians and p90
# over 200 runs after 200 warm-up runs in one JVM.
#
#   bench/status-page.sh
#
# Writes bench/out/status-page.md (gitignored) and prints it with the command, for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./dev jdk)
export JAVA_HOME
mkdir -p bench/out
./mvnw -B -q test -Dbench=true -Dtest=StatusPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  > bench/out/status-page.log 2>&1 || { tail -50 bench/out/status-page.log; exit 1; }
echo "Command: bench/status-page.sh"
echo
cat bench/out/status-page.md
