#!/usr/bin/env bash
# Runs every sample program (dotnet run samples/<name>.cs) from the repository root and fails on the first error, so
# the samples cannot rot. With --build-only, only builds them. Data sets are found in ../shared/data or RECOURSE_DATA_DIR;
# a sample whose "// requires-data:" files are absent is built but not run, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=run
[ "${1:-}" = "--build-only" ] && mode=build
data_dir="${RECOURSE_DATA_DIR:-../shared/data}"
for sample in samples/*.cs samples/*/*.cs; do
  echo "== $sample"
  start=$(date +%s)
  missing=""
  for file in $(sed -n 's|^// requires-data: ||p' "$sample"); do
    [ -f "$data_dir/$file" ] || missing="$missing $file"
  done
  if [ "$mode" = build ] || [ -n "$missing" ]; then
    dotnet build "$sample" -v quiet --nologo
    if [ -n "$missing" ] && [ "$mode" = run ]; then
      echo "== $sample: built, not run: needs reference data not found in $data_dir:$missing (see docs/datasets.md)"
      continue
    fi
  else
    dotnet run "$sample"
  fi
  echo "== $sample: ok ($(( $(date +%s) - start )) s)"
done
