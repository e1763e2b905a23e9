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
dotnet test test/Microsoft.ML.Recourse.Tests/Microsoft.ML.Recourse.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=normal" "$@"

# The samples are programs users copy: run each so they cannot rot.
./samples/run-all.sh
