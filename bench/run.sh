#!/usr/bin/env bash
# Runs enrichd's benchmarks side by side with their baselines (issue 6) and
# rewrites the generated block of docs/BENCHMARKS.md.
#
#   bench/run.sh              # the full set (≤ 15 minutes once the stores are cached)
#   bench/run.sh --quick      # CI: small store, short runs; exit 3 on a large regression
#   bench/run.sh --help       # every flag
#
# Needs Go with CGO (a C compiler), the sqlite3 CLI for the import baseline
# (installed here from Debian packages when missing) and, for the PostgreSQL
# comparisons, a server at $ENRICHD_BENCH_POSTGRES_URL or
# $ENRICHD_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
# with the pg_trgm extension available. Generated files are cached in
# $ENRICHD_BENCH_CACHE (default ~/.cache/enrichd-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
for a in "$@"; do [ "$a" = --quick ] && quick=true; done
if ! $quick && ! command -v sqlite3 >/dev/null; then
	echo "run.sh: installing the sqlite3 CLI (import baseline)" >&2
	sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo apt-get install -y -qq sqlite3 >/dev/null
fi
exec go run ./bench "$@"
