#!/usr/bin/env bash
# Benchmark: `model-guardian check` (the CronJob mode) against the same PromQL evaluated by plain `promtool`.
#
#   bench/check-vs-promtool.sh            # RUNS=10 by default
#   RUNS=20 bench/check-vs-promtool.sh    # RUNS must be at least 5
#   JAVA_OPTS="-XX:TieredStopAtLevel=1 ..." bench/check-vs-promtool.sh   # JVM options for both java commands
#
# What it does, all on loopback and cleaned up on exit:
#   1. finds a JDK 21+ (as ./dev does), prometheus, promtool, hyperfine and GNU time (apt-get installs the last two
#      when missing, as root); builds target/quarkus-app/quarkus-run.jar through ./dev only if it is missing;
#   2. serves bench/neural-hive-healthy.metrics (Neural Hive's metric names, healthy values) with python3's
#      http.server, and runs a throwaway prometheus scraping it every 1s into a temp TSDB; waits (bounded) until
#      every policy query returns a series;
#   3. runs `check` once and fails unless it exits 0 (healthy);
#   4. times `java -jar quarkus-run.jar check` and the equivalent promtool sequence in ONE hyperfine run, then
#      `java -jar quarkus-run.jar --help` in another; measures peak RSS of each with /usr/bin/time -f %M;
#   5. prints a Markdown block for docs/benchmarks.md. Hyperfine's JSON goes to bench/out/ (gitignored).
#
# The promtool equivalent is built from src/main/resources/neural-hive-defaults.yaml: one `promtool query instant`
# per signal with no `for`, one `promtool query range` over the `for` window ending now at a 15s step (the default
# guardian.prometheus.backfill-step) per signal with a `for` - which is what `check` sends for a policy it has no
# state for. The promtool calls run one after another in a single bash; `check` sends its queries concurrently
# (guardian.prometheus.max-concurrency, default 4) from one JVM.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
WARMUP=2
DEFAULTS=src/main/resources/neural-hive-defaults.yaml
METRICS_FILE=bench/neural-hive-healthy.metrics
OUT=bench/out
JAR=target/quarkus-app/quarkus-run.jar
READY_TIMEOUT_S=60     # bounded wait for prometheus and the first scrapes
CHECK_TIMEOUT_S=120    # bounded time for one sanity `check` run

die() { echo "check-vs-promtool: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ $RUNS =~ ^[0-9]+$ ]] && (( RUNS >= 5 )) || die "RUNS must be an integer >= 5 (got '$RUNS')"

# --- 1. tools --------------------------------------------------------------------------------------------------------

# shellcheck source=bench/common.sh
. bench/common.sh
bench_jdk
JAVA=$JAVA_HOME/bin/java

missing_pkgs=()
command -v hyperfine >/dev/null 2>&1 || missing_pkgs+=(hyperfine)
command -v jq >/dev/null 2>&1 || missing_pkgs+=(jq)
[ -x /usr/bin/time ] || missing_pkgs+=(time)
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing_pkgs+=(prometheus)
if (( ${#missing_pkgs[@]} )); then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing_pkgs[*]}: install them (apt-get install -y ${missing_pkgs[*]})"
  log "installing ${missing_pkgs[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing_pkgs[@]}" >/dev/null; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing_pkgs[@]}" >/dev/null
  fi
fi
for tool in prometheus promtool hyperfine python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
PROMETHEUS=$(command -v prometheus)
PROMTOOL=$(command -v promtool)

if [ ! -f "$JAR" ]; then
  log "$JAR missing: building it through ./dev"
  ./dev run --help >/dev/null
fi
[ -f "$JAR" ] || die "$JAR still missing after the build"

# --- the promtool equivalent of check, from the defaults YAML --------------------------------------------------------

# Prometheus duration (1h, 30m, 1h30m, 90s, 2d, 1w) -> seconds.
duration_seconds() {
  local rest=$1 total=0 n unit
  [ -n "$rest" ] || { echo 0; return; }
  while [ -n "$rest" ]; do
    [[ $rest =~ ^([0-9]+)(ms|s|m|h|d|w)(.*)$ ]] || die "unsupported duration '$1' in $DEFAULTS"
    n=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    case $unit in
      ms) total=$(( total + n / 1000 )) ;; s) total=$(( total + n )) ;; m) total=$(( total + n * 60 )) ;;
      h) total=$(( total + n * 3600 )) ;; d) total=$(( total + n * 86400 )) ;; w) total=$(( total + n * 604800 )) ;;
    esac
  done
  echo "$total"
}

# One "FOR<TAB>QUERY" line per PromQL signal of the defaults file. A signal is the block between two bare mapping keys
# ("name:" with no value); its `query:` and optional `for:` may come in any order. Full-line comments are skipped.
signals_tsv() {
  awk '
    function unquote(v) {
      sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
      if (v ~ /^".*"$/ || v ~ /^\x27.*\x27$/) v = substr(v, 2, length(v) - 2)
      return v
    }
    function flush() { if (q != "") print (f == "" ? "0s" : f) "\t" q; q = ""; f = "" }
    /^[ \t]*#/ { next }
    /^[ \t]*[A-Za-z0-9_.-]+:[ \t]*$/ { flush(); next }
    /^[ \t]*query:/ { v = $0; sub(/^[ \t]*query:/, "", v); q = unquote(v); next }
    /^[ \t]*for:/   { v = $0; sub(/^[ \t]*for:/, "", v); f = unquote(v); next }
    END { flush() }
  ' "$DEFAULTS"
}

# Double-quoted shell word (for the inner bash) and single-quoted shell word (for hyperfine/outer shell).
dq() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\$/\\\$}; s=${s//\`/\\\`}; printf '"%s"' "$s"; }
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# --- 2. metrics endpoint + prometheus --------------------------------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-vs-promtool.XXXXXX")
HTTP_PID=""
PROM_PID=""
cleanup() {
  local pid
  for pid in "$PROM_PID" "$HTTP_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "$PROM_PID" "$HTTP_PID"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two distinct free loopback ports (both sockets held open while choosing, so they differ).
ports=$(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])
a.close(); b.close()')
read -r METRICS_PORT PROM_PORT <<<"$ports"

mkdir -p "$TMP/www" "$TMP/tsdb"
cp "$METRICS_FILE" "$TMP/www/metrics"
python3 -m http.server --bind 127.0.0.1 --directory "$TMP/www" "$METRICS_PORT" >"$TMP/http.log" 2>&1 &
HTTP_PID=$!

cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: orchestrator-dynamic
    static_configs:
      - targets: ['127.0.0.1:$METRICS_PORT']
EOF
"$PROMETHEUS" --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!
PROM_URL=http://127.0.0.1:$PROM_PORT
export GUARDIAN_PROMETHEUS_URL=$PROM_URL

mapfile -t SIGNALS < <(signals_tsv)
(( ${#SIGNALS[@]} > 0 )) || die "no PromQL signal found in $DEFAULTS"

log "prometheus on $PROM_URL scraping 127.0.0.1:$METRICS_PORT; waiting for ${#SIGNALS[@]} queries to return data"
deadline=$(( SECONDS + READY_TIMEOUT_S ))
ready=0
while (( SECONDS < deadline )); do
  kill -0 "$PROM_PID" 2>/dev/null || { cat "$TMP/prometheus.log" >&2; die "prometheus exited"; }
  kill -0 "$HTTP_PID" 2>/dev/null || { cat "$TMP/http.log" >&2; die "the metrics endpoint exited"; }
  ready=1
  for line in "${SIGNALS[@]}"; do
    query=${line#*$'\t'}
    n=$(curl -fsS --max-time 2 -G "$PROM_URL/api/v1/query" --data-urlencode "query=$query" 2>/dev/null \
      | jq -r 'if .status == "success" then (.data.result | length) else 0 end' 2>/dev/null || echo 0)
    [ "${n:-0}" -gt 0 ] || { ready=0; break; }
  done
  (( ready )) && break
  sleep 0.25
done
(( ready )) || { cat "$TMP/prometheus.log" >&2; die "no data for every query within ${READY_TIMEOUT_S}s"; }

# The promtool sequence: evaluated by one `bash -c`, `end` taken once at the start of each run like check's `now`.
seq_script="set -e; end=\$(date +%s)"
for line in "${SIGNALS[@]}"; do
  for_d=${line%%$'\t'*} query=${line#*$'\t'}
  secs=$(duration_seconds "$for_d")
  if (( secs == 0 )); then
    seq_script+="; $PROMTOOL query instant $PROM_URL $(dq "$query")"
  else
    seq_script+="; $PROMTOOL query range --start=\$((end-$secs)) --end=\$end --step=15s $PROM_URL $(dq "$query")"
  fi
done
PROMTOOL_CMD="bash -c $(sq "$seq_script")"
CHECK_CMD="$JAVA ${JAVA_OPTS:+$JAVA_OPTS }-jar $JAR check"
HELP_CMD="$JAVA ${JAVA_OPTS:+$JAVA_OPTS }-jar $JAR --help"

# --- 3. sanity: check must be healthy --------------------------------------------------------------------------------

log "sanity run: $CHECK_CMD"
set +e
timeout "$CHECK_TIMEOUT_S" "$JAVA" -jar "$JAR" check >&2   # stdout carries only the Markdown block
rc=$?
set -e
[ "$rc" -eq 0 ] || die "check exited $rc on healthy data (0 expected); not measuring"
log "sanity run: promtool sequence"
bash -c "$seq_script" >"$TMP/promtool.out" 2>&1 || { cat "$TMP/promtool.out" >&2; die "the promtool sequence failed"; }
sed 's/^/    /' "$TMP/promtool.out" >&2

# --- 4. wall time (hyperfine) ----------------------------------------------------------------------------------------

mkdir -p "$OUT"
HF_ARGS=(--shell=none --style basic --warmup "$WARMUP" --runs "$RUNS")
log "hyperfine: check vs promtool"
hyperfine "${HF_ARGS[@]}" --export-json "$OUT/check-vs-promtool.json" \
  -n check "$CHECK_CMD" -n promtool "$PROMTOOL_CMD" >&2
log "hyperfine: --help"
hyperfine "${HF_ARGS[@]}" --export-json "$OUT/help.json" -n help "$HELP_CMD" >&2

# "median min max" in milliseconds of the named result of a hyperfine JSON.
hf_ms() {
  jq -r --arg n "$2" '.results[] | select(.command == $n) | [.median, .min, .max] | map(. * 1000 | round) | @tsv' "$1" \
    | tr '\t' ' '
}
stats=$(hf_ms "$OUT/check-vs-promtool.json" check); read -r CHECK_MED CHECK_MIN CHECK_MAX <<<"$stats"
stats=$(hf_ms "$OUT/check-vs-promtool.json" promtool); read -r PT_MED PT_MIN PT_MAX <<<"$stats"
stats=$(hf_ms "$OUT/help.json" help); read -r HELP_MED HELP_MIN HELP_MAX <<<"$stats"
[ -n "$CHECK_MAX" ] && [ -n "$PT_MAX" ] && [ -n "$HELP_MAX" ] || die "could not read hyperfine's JSON in $OUT"
RATIO=$(jq -r '[.results[] | select(.command == "check" or .command == "promtool") | {(.command): .median}] | add
  | (.check / .promtool * 10 | round / 10)' "$OUT/check-vs-promtool.json")

# --- 5. peak RSS (/usr/bin/time -f %M, KiB) --------------------------------------------------------------------------

# Runs "$@" RUNS times under GNU time; prints "median min max" in MiB (one decimal). For `bash -c`, %M is the peak of
# the largest single process (bash or one promtool): the calls run one after another, never together.
rss_mib() {
  local i kib=()
  for (( i = 0; i < RUNS; i++ )); do
    /usr/bin/time -f '%M' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/rss.err" \
      || { cat "$TMP/rss.err" >&2; die "'$*' failed while measuring RSS"; }
    kib+=("$(tail -n 1 "$TMP/rss")")
  done
  printf '%s\n' "${kib[@]}" | sort -n | awk '
    { v[NR] = $1 }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f\n", med / 1024, v[1] / 1024, v[NR] / 1024
    }'
}
log "peak RSS: $RUNS runs each"
stats=$(rss_mib "$JAVA" -jar "$JAR" check); read -r CHECK_RSS_MED CHECK_RSS_MIN CHECK_RSS_MAX <<<"$stats"
stats=$(rss_mib bash -c "$seq_script"); read -r PT_RSS_MED PT_RSS_MIN PT_RSS_MAX <<<"$stats"
stats=$(rss_mib "$JAVA" -jar "$JAR" --help); read -r HELP_RSS_MED HELP_RSS_MIN HELP_RSS_MAX <<<"$stats"

# --- 6. Markdown -----------------------------------------------------------------------------------------------------

n_instant=0 n_range=0
for line in "${SIGNALS[@]}"; do
  if (( $(duration_seconds "${line%%$'\t'*}") == 0 )); then n_instant=$(( n_instant + 1 )); else n_range=$(( n_range + 1 )); fi
done
OPTS_PREFIX=""
[ -n "${JAVA_OPTS:-}" ] && OPTS_PREFIX="JAVA_OPTS=\"$JAVA_OPTS\" "
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -n 1)
PROM_VERSION=$("$PROMETHEUS" --version 2>&1 | head -n 1)
PROMTOOL_VERSION=$("$PROMTOOL" --version 2>&1 | head -n 1)
HF_VERSION=$(hyperfine --version)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null | head -n 1)
[ -n "$DIRTY" ] && COMMIT+=" (with uncommitted changes under src/ or pom.xml)"

cat <<EOF

<!-- generated by bench/check-vs-promtool.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->
### \`check\` against \`promtool\` ($RUNS runs, $WARMUP warm-up)

${#SIGNALS[@]} signals of \`neural-hive-defaults.yaml\` ($n_instant instant queries, $n_range range queries over their \`for\` window at a 15s step) against a local Prometheus scraping a static, healthy Neural Hive \`/metrics\` every second. \`check\` exits 0 (healthy) on every run.

| command | wall median | wall min | wall max | peak RSS median | peak RSS min | peak RSS max |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| \`java -jar quarkus-run.jar check\` | $CHECK_MED ms | $CHECK_MIN ms | $CHECK_MAX ms | $CHECK_RSS_MED MiB | $CHECK_RSS_MIN MiB | $CHECK_RSS_MAX MiB |
| promtool, ${#SIGNALS[@]} queries in sequence | $PT_MED ms | $PT_MIN ms | $PT_MAX ms | $PT_RSS_MED MiB | $PT_RSS_MIN MiB | $PT_RSS_MAX MiB |
| \`java -jar quarkus-run.jar --help\` | $HELP_MED ms | $HELP_MIN ms | $HELP_MAX ms | $HELP_RSS_MED MiB | $HELP_RSS_MIN MiB | $HELP_RSS_MAX MiB |

Ratio of medians, check / promtool: **${RATIO}x**.

Wall time by hyperfine (\`check\` and promtool measured in the same hyperfine run, \`--help\` in a second one); peak RSS by GNU \`/usr/bin/time -f %M\` over $RUNS separate runs (for the promtool row, the largest single process: the calls run one after another). \`check\` sends its queries concurrently (at most 4 in flight); promtool runs them one by one.

Machine: $(nproc) cores ($CPU), $MEM RAM; $JAVA_VERSION; $PROM_VERSION; $PROMTOOL_VERSION; $HF_VERSION; model-guardian $COMMIT.

Command: \`${OPTS_PREFIX}RUNS=$RUNS bench/check-vs-promtool.sh\`, which runs (ports vary per run):

\`\`\`sh
GUARDIAN_PROMETHEUS_URL=$PROM_URL hyperfine ${HF_ARGS[*]} --export-json $OUT/check-vs-promtool.json \\
  -n check $(sq "$CHECK_CMD") \\
  -n promtool $(sq "$PROMTOOL_CMD")
hyperfine ${HF_ARGS[*]} --export-json $OUT/help.json -n help $(sq "$HELP_CMD")
/usr/bin/time -f '%M' <each of the three commands>   # $RUNS times each
\`\`\`

The promtool sequence, one line per signal (\`end\` is taken once per run, like \`check\`'s "now"):

\`\`\`sh
$(printf '%s\n' "$seq_script" | sed 's/; /\n/g')
\`\`\`
EOF
