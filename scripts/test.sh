#!/usr/bin/env bash
# The one test command: installs what is missing, builds the solution once (Debug), runs every test project
# in Dashboard.sln, and ends with one plain line: "N passed, N failed" (", N skipped" when tests were skipped).
# Exit code is non-zero when a test failed or a test project could not run.
#
# Environment:
#   ARTIFACTS_DIR  where results go (default: <repo>/artifacts); .trx files land in $ARTIFACTS_DIR/test-results,
#                  e2e screenshots in $ARTIFACTS_DIR/screenshots.
#   CHROMIUM_PATH  browser for the e2e tests (default: /usr/bin/chromium, installed with apt when missing).
#   SHARED_DIR     the team's shared folder with data/ and reference/ (default: <repo>/../shared, or beside the
#                  clone's origin when that is a local checkout).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 1

export ARTIFACTS_DIR="${ARTIFACTS_DIR:-$repo/artifacts}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive
results="$ARTIFACTS_DIR/test-results"
configuration=Debug

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi
}

if [ -z "${SHARED_DIR:-}" ]; then
    SHARED_DIR="$repo/../shared"
    origin="$(git config --get remote.origin.url 2>/dev/null || true)"
    if [ ! -d "$SHARED_DIR" ] && [ -n "$origin" ] && [ -d "$origin/../shared" ]; then
        SHARED_DIR="$origin/../shared"
    fi
fi
[ -f "$SHARED_DIR/data/wikiticker-2015-09-12-sampled.json.gz" ] \
    || die "the shared folder with data/wikiticker-2015-09-12-sampled.json.gz was not found at $SHARED_DIR; set SHARED_DIR"
export SHARED_DIR="$(cd "$SHARED_DIR" && pwd)"

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    step "Installing Chromium (apt)"
    { as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null; } </dev/null \
        || die "could not install chromium; install it or set CHROMIUM_PATH"
fi

if [ ! -d wwwroot-assets/node_modules ]; then
    step "npm ci (wwwroot-assets)"
    (cd wwwroot-assets && npm ci --no-audit --no-fund) </dev/null || die "npm ci failed in wwwroot-assets"
fi

step "dotnet restore"
dotnet restore Dashboard.sln </dev/null || die "restore failed"

step "dotnet build ($configuration)"
dotnet build Dashboard.sln -c "$configuration" --no-restore -v:minimal </dev/null || die "build failed"

mapfile -t projects < <(dotnet sln Dashboard.sln list | grep -E '\.csproj$' | tr '\\' '/' | while read -r p; do
    grep -qiE '<IsTestProject>\s*true\s*</IsTestProject>' "$p" && echo "$p"
done)
[ "${#projects[@]}" -gt 0 ] || die "no test projects found in Dashboard.sln"

rm -rf "$results"
mkdir -p "$results"
broken=()
for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    step "dotnet test $name"
    dotnet test "$project" -c "$configuration" --no-build \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
        --blame-hang-timeout 10m </dev/null
    code=$?
    if [ "$code" -ne 0 ]; then
        broken+=("$name (dotnet test exit code $code)")
    elif [ ! -f "$results/$name.trx" ]; then
        broken+=("$name (no $name.trx written)")
    fi
done

# Counts every test result in every .trx: Passed, NotExecuted (skipped), anything else is a failure.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
counts = {"passed": 0, "failed": 0, "skipped": 0}
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    for result in ET.parse(path).getroot().iter(ns + "UnitTestResult"):
        outcome = result.get("outcome", "")
        key = "passed" if outcome == "Passed" else "skipped" if outcome == "NotExecuted" else "failed"
        counts[key] += 1
print(counts["passed"], counts["failed"], counts["skipped"])
PY
)
[ -n "${skipped:-}" ] || die "could not read the .trx files in $results"

status=0
if [ "${#broken[@]}" -gt 0 ]; then
    printf '\nTest projects with failures or that could not run:\n' >&2
    printf '  %s\n' "${broken[@]}" >&2
    status=1
fi
[ "$failed" -eq 0 ] || status=1

summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
printf '\n%s\n' "$summary"
exit "$status"
