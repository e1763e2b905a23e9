#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"

have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
if ! have_lib libClp.so.1 || ! have_lib libCbcSolver.so.3; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing COIN-OR Clp and Cbc (coinor-libclp1 coinor-libcbc3)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends coinor-libclp1 coinor-libcbc3 >/dev/null
  else
    echo "COIN-OR Clp/Cbc not found. Install them, then re-run:"
    echo "  Debian/Ubuntu: sudo apt-get install coinor-libclp1 coinor-libcbc3"
    echo "  macOS:         brew install clp cbc"
    echo "  conda:         conda install -c conda-forge coin-or-clp coin-or-cbc"
    echo "  Windows:       vcpkg install coin-or-clp coin-or-cbc"
    echo "Tests that need them are skipped with a visible message until then."
  fi
fi

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
