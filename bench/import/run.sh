#!/usr/bin/env bash
# Import benchmark (issue 2): times `enrichd import` of a generated people CSV
# into a fresh SQLite store against `sqlite3 .import` of the same file into a
# table with the same unique indexes (LinkedIn URL and email), and prints a
# Markdown table for docs/BENCHMARKS.md.
#
#   bench/import/run.sh [ROWS]        # default 1000000
#   ROWS=100000 bench/import/run.sh   # quicker
#
# Needs go and the sqlite3 CLI (apt-get install sqlite3). Work files go to
# $BENCH_DIR (default: a temporary directory, removed at the end).
set -euo pipefail

rows=${1:-${ROWS:-1000000}}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
command -v sqlite3 >/dev/null || { echo "run.sh: the sqlite3 CLI is required (apt-get install sqlite3)" >&2; exit 1; }

cd "$root"
go build -o "$work/enrichd" ./cmd/enrichd
go build -o "$work/gencsv" ./bench/import/gencsv
csv="$work/people.csv"
"$work/gencsv" -rows "$rows" -o "$csv"
size=$(du -m "$csv" | cut -f1)

# now prints seconds since the epoch with milliseconds.
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# cpu runs a command and writes its user+system CPU seconds to $work/cpu: on
# a shared machine wall time depends on the neighbours, CPU time much less.
# Without GNU time (apt-get install time), CPU columns read "n/a".
cpu() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%U %S" -o "$work/cpu.raw" "$@"
		awk '{ printf "%.2f", $1 + $2 }' "$work/cpu.raw" >"$work/cpu"
	else
		"$@"
		echo n/a >"$work/cpu"
	fi
}

# Baseline: the raw CSV into one table with the same unique indexes, one
# transaction, WAL and a 256 MB cache, as a user would do by hand.
rm -f "$work/baseline.db"
t0=$(now)
cpu sqlite3 "$work/baseline.db" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;
CREATE TABLE people (first_name TEXT, last_name TEXT, email TEXT, linkedin_url TEXT, title TEXT,
  seniority TEXT, company TEXT, website TEXT, company_linkedin_url TEXT, industry TEXT,
  employees TEXT, city TEXT, country TEXT, phone TEXT, skills TEXT);
CREATE UNIQUE INDEX people_linkedin ON people (linkedin_url);
CREATE UNIQUE INDEX people_email ON people (email);
.mode csv
.import --skip 1 $csv people
SQL
t1=$(now)
base=$(secs "$t0" "$t1")
base_cpu=$(cat "$work/cpu")
base_rows=$(sqlite3 "$work/baseline.db" 'SELECT count(*) FROM people')

# enrichd: the real CLI, fresh store, default batch size.
rm -f "$work/enrichd.db"*
"$work/enrichd" migrate --db "$work/enrichd.db" >/dev/null
t0=$(now)
cpu "$work/enrichd" import --db "$work/enrichd.db" --rejects "$work/rejects.csv" "$csv" >"$work/import.out" 2>"$work/import.err"
t1=$(now)
imp=$(secs "$t0" "$t1")
imp_cpu=$(cat "$work/cpu")
summary=$(grep 'import done' "$work/import.out" || true)

# Re-import: nothing changes, every row is read, normalised and compared.
t0=$(now)
cpu "$work/enrichd" import --db "$work/enrichd.db" --rejects "$work/rejects2.csv" "$csv" >"$work/reimport.out" 2>/dev/null
t1=$(now)
reimp=$(secs "$t0" "$t1")
reimp_cpu=$(cat "$work/cpu")

rate() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
ratio=$(awk -v a="$imp" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
cpu_ratio=$(awk -v a="$imp_cpu" -v b="$base_cpu" 'BEGIN { if (a == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }')
us_row() { awk -v n="$rows" -v s="$1" 'BEGIN { if (s == "n/a") print s; else printf "%.1f", s * 1e6 / n }'; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
db_mb=$(du -cm "$work/enrichd.db"* | tail -1 | cut -f1)
base_mb=$(du -cm "$work/baseline.db"* | tail -1 | cut -f1)

cat <<MD
| what ($rows rows, ${size} MB CSV) | wall s | rows/s | CPU s | CPU µs/row | on disk |
|---|---:|---:|---:|---:|---:|
| \`sqlite3 .import\` into one table with unique indexes on LinkedIn URL and email ($base_rows rows) | $base | $(rate "$base") | $base_cpu | $(us_row "$base_cpu") | ${base_mb} MB |
| \`enrichd import\` into a fresh SQLite store | $imp | $(rate "$imp") | $imp_cpu | $(us_row "$imp_cpu") | ${db_mb} MB |
| \`enrichd import\` of the same file again (all unchanged) | $reimp | $(rate "$reimp") | $reimp_cpu | $(us_row "$reimp_cpu") | |

enrichd / sqlite3 ratio: **$ratio** in wall time (target ≤ 3), $cpu_ratio in CPU time. Load average during the run: $load.
Summary: \`${summary#import done: }\`
MD
