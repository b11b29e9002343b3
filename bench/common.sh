# Sourced by the bench scripts, after each defines die and log: the JDK and the Prometheus they need.

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# The same JDK as ./dev picks: JAVA_HOME if it is 21 or newer, else the first /usr/lib/jvm/* that is; with an
# argument, only a JDK that has that tool too (e.g. jcmd). Exports JAVA_HOME.
bench_jdk() {
  local tool=${1:-javac} candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ -x "$candidate/bin/$tool" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  done
  die "no JDK 21 or newer${1:+ with $1} found (JAVA_HOME or /usr/lib/jvm/*)"
}

# Debian's prometheus at $PROMETHEUS (default /usr/bin/prometheus); apt-get installs it when missing, as root.
bench_prometheus() {
  PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
  if [ ! -x "$PROMETHEUS" ]; then
    [ "$(id -u)" -eq 0 ] || die "$PROMETHEUS missing: install it (apt-get install -y prometheus)"
    log "installing prometheus"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus >/dev/null
  fi
}
