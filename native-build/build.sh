#!/usr/bin/env bash
# Builds the native binary of model-guardian.
#   GRAALVM_HOME=/opt/mandrel native-build/build.sh   a local GraalVM or Mandrel (JDK 21+): target/*-runner
#   native-build/build.sh                             no GraalVM: the container image model-guardian:native
# Without either (as on the project's own machines), `./mvnw package -DskipTests -Dnative
# -Dquarkus.native.sources-only=true` still runs every Quarkus native build step short of native-image itself.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${GRAALVM_HOME:-}" ]; then
  export JAVA_HOME="$GRAALVM_HOME"
  exec ./mvnw -B package -Dnative -DskipTests
fi
engine=$(command -v docker || command -v podman || true)
if [ -z "$engine" ]; then
  echo "native-build: set GRAALVM_HOME to a GraalVM/Mandrel for Java 21+, or install docker or podman" >&2
  exit 3
fi
exec "$engine" build -f native-build/Dockerfile -t "${IMAGE:-model-guardian:native}" .
