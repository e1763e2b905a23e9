#!/usr/bin/env bash
# Runs every sample program (dotnet run samples/<name>.cs) from the repository root and fails on the first error, so
# the samples cannot rot. With --build-only, only builds them. Data sets are found in ../shared/data or RECOURSE_DATA_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=run
[ "${1:-}" = "--build-only" ] && mode=build
for sample in samples/*.cs; do
  echo "== $sample"
  start=$(date +%s)
  if [ "$mode" = build ]; then
    dotnet build "$sample" -v quiet --nologo
  else
    dotnet run "$sample"
  fi
  echo "== $sample: ok ($(( $(date +%s) - start )) s)"
done
