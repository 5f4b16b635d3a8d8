#!/usr/bin/env bash
# Runs every test on a fresh machine:
#   1. installs what is missing (PostgreSQL, Chromium from Debian) when run as root,
#   2. starts a throwaway PostgreSQL cluster on 127.0.0.1 (removed on exit),
#   3. runs `dotnet test Monolith.sln` and the use-case template check,
#   4. prints one line: "N passed, N failed, N skipped". Exit code is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOG_DIR=$(mktemp -d /tmp/monolith-test.XXXXXX)

log() { printf '[test.sh] %s\n' "$*"; }

# --- 1. prerequisites ------------------------------------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing: ${missing[*]}. Run this script as root (it installs them with apt-get) or install them first." >&2
    exit 1
  fi
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1
  if ! apt-get install -y -qq "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1; then
    # A pending systemd upgrade on this image can break apt half-way; repair and retry once.
    apt-get --fix-broken install -y -qq >>"$LOG_DIR/apt.log" 2>&1 || true
    apt-get install -y -qq "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 || { cat "$LOG_DIR/apt.log" >&2; exit 1; }
  fi
fi

# --- 2. throwaway PostgreSQL -----------------------------------------------------------------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_ROOT=$(mktemp -d /tmp/monolith-pg.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; return 1
}
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_ROOT"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_ROOT"
as_pg "$PG_BIN/initdb" -D "$PG_ROOT/data" -U postgres -A trust --no-sync -E UTF8 >"$LOG_DIR/initdb.log" 2>&1
# A port that looked free can be taken by the time the server binds it: try a few, and show the server's log if none works.
started=0
for attempt in 1 2 3; do
  PG_PORT=$(free_port)
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -w -l "$PG_ROOT/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_ROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null; then
    started=1; break
  fi
  log "PostgreSQL did not start on port $PG_PORT (attempt $attempt); its log:"; tail -n 20 "$PG_ROOT/server.log" >&2 || true
done
[ "$started" -eq 1 ] || { log "PostgreSQL could not be started"; exit 1; }
export MONOLITH_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=50"
log "PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT"

# --- 3. tests ---------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >"$LOG_DIR/tool-restore.log" 2>&1 || { cat "$LOG_DIR/tool-restore.log"; exit 1; }
status=0
dotnet test "$ROOT/Monolith.sln" --nologo 2>&1 | tee "$LOG_DIR/dotnet-test.log" || status=$?

template_passed=0 template_failed=0
if bash "$ROOT/build/templates/verify.sh" >"$LOG_DIR/template.log" 2>&1; then
  template_passed=1; log "use-case template check passed"
else
  template_failed=1; status=1; log "use-case template check FAILED:"; tail -n 40 "$LOG_DIR/template.log"
fi

# --- 4. one summary line ----------------------------------------------------------------------------------------
sum() { grep -E '^(Passed|Failed)!' "$LOG_DIR/dotnet-test.log" | grep -oE "$1: +[0-9]+" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(( $(sum Passed) + template_passed ))
failed=$(( $(sum Failed) + template_failed ))
skipped=$(sum Skipped)
assemblies=$(grep -cE '^(Passed|Failed)!' "$LOG_DIR/dotnet-test.log" || true)
if [ "$assemblies" -eq 0 ]; then
  log "no test assembly reported a result"; status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
