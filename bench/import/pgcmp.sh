#!/bin/bash
# pgcmp.sh BINARY CSV [import flags]: `enrichd import` of CSV into a freshly
# migrated PostgreSQL schema against COPY of the same file into one table with
# unique indexes on LinkedIn URL and email, as bench/importcmp.go's pgImport
# does; one line of figures (wall, CPU of the enrichd process, ratio, load).
# PGCMP_URL names the database (default pgimport_bench on 127.0.0.1).
set -e
BIN=$1; CSV=$2; shift 2
BASE=${PGCMP_URL:-'postgres://postgres@127.0.0.1:5432/pgimport_bench?sslmode=disable'}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
S=imp_$RANDOM; C=copy_$RANDOM
psql -q "$BASE" -c "CREATE SCHEMA $S; CREATE SCHEMA $C"
U="$BASE&search_path=$S,public"
$BIN migrate --db "$U" >/dev/null
L0=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f "%e %U %S %M" -o $T/time $BIN import --db "$U" --rejects $T/rejects.csv "$@" "$CSV" > $T/out 2>$T/err || { cat $T/err; exit 1; }
read W U1 S1 M < $T/time
L1=$(cut -d' ' -f1-3 /proc/loadavg)
MB=$(psql -qtA "$BASE" -c "SELECT round(sum(pg_total_relation_size(c.oid))/1048576.0) FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace WHERE n.nspname='$S' AND c.relkind='r'")
psql -q "$BASE" -c "SET search_path=$C; CREATE TABLE people (first_name TEXT, last_name TEXT, email TEXT, linkedin_url TEXT, title TEXT, seniority TEXT, company TEXT, website TEXT, company_linkedin_url TEXT, industry TEXT, employees TEXT, city TEXT, country TEXT, phone TEXT, skills TEXT); CREATE UNIQUE INDEX people_linkedin ON people (linkedin_url); CREATE UNIQUE INDEX people_email ON people (email)"
T0=$(date +%s.%N)
psql -q "$BASE" -c "SET search_path=$C" -c "\\copy people FROM '$CSV' WITH (FORMAT csv, HEADER true)"
T1=$(date +%s.%N)
CP=$(echo "$T1 - $T0" | bc)
ROWS=$(wc -l < "$CSV"); ROWS=$((ROWS-1))
echo "$(basename $BIN) rows=$ROWS wall=$W cpu=$(echo "$U1+$S1"|bc) us/row=$(echo "($U1+$S1)*1000000/$ROWS"|bc) rows/s=$(echo "$ROWS/$W"|bc) rss=${M}KB MB=$MB copy=$CP ratio=$(echo "scale=2; $W/$CP"|bc) load=[$L0]->[$L1]"
grep "import done" $T/out
psql -q "$BASE" -c "DROP SCHEMA $S CASCADE; DROP SCHEMA $C CASCADE" 2>/dev/null
