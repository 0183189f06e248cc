#!/usr/bin/env bash
# Runs a benchmark suite against a Release build of the server. Usage: bench/run.sh [tasks] [options]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Dashboard/Dashboard.csproj -v:quiet -nologo >/dev/null
dotnet build -c Release bench/Dashboard.Bench.csproj -v:quiet -nologo >/dev/null
exec dotnet bench/bin/Release/net10.0/linux-x64/Dashboard.Bench.dll "$@"
