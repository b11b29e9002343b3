#!/usr/bin/env bash
# Benchmark: how much of its state ConfigMap's 1 MiB one training target takes, after one remediation of each kind
# and with a history of such remediations, how many finished remediations fit under the guardian's 960 KiB guard, and
# how many policy statuses fit in the state ConfigMap.
# Runs the runbook's paths through the engine on the fabric8 mock API server (StateSizeBenchmark); sizes are
# deterministic, so one run is the figure.
#
#   bench/state-size.sh
#
# Writes bench/out/state-size.md (gitignored) and prints it with the command, for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./dev jdk)
export JAVA_HOME
mkdir -p bench/out
./mvnw -B -q test -Dbench=true -Dtest=StateSizeBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  > bench/out/state-size.log 2>&1 || { tail -50 bench/out/state-size.log; exit 1; }
echo "Command: bench/state-size.sh"
echo
cat bench/out/state-size.md
