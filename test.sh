#!/usr/bin/env bash
# Builds and runs the whole test suite and the samples; the only prerequisite is the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Microsoft.ML.Recourse.sln -c Release --nologo -v quiet
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test test/Microsoft.ML.Recourse.Tests/Microsoft.ML.Recourse.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?

# The samples are programs users copy: run each so they cannot rot.
if [ "$status" -eq 0 ]; then ./samples/run-all.sh || status=$?; fi

# One plain summary line, whatever reads this output.
passed=$(awk '/^ *Passed: *[0-9]+/ {n=$2} END {print n+0}' "$log")
failed=$(awk '/^ *Failed: *[0-9]+/ {n=$2} END {print n+0}' "$log")
skipped=$(awk '/^ *Skipped: *[0-9]+/ {n=$2} END {print n+0}' "$log")
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
