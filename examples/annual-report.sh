#!/usr/bin/env bash
# The year's paperwork in one folder: every cluster's report, the province summary, the award
# proposals as CSV (for Excel) and the award submission.
#
#   examples/annual-report.sh DATABASE YEAR [FOLDER]
#
# FORMAT=docx|md|html (default docx) chooses the documents' format. Exit status: 0 when every
# cluster is scored and no tie is left; 3 when a cluster has no scores or an unresolved tie that
# decides an award (everything else is still written, and the problems are listed on stderr);
# any other thidua exit code (a damaged database, a full disk, ...) stops the script at once.
set -u -o pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 DATABASE YEAR [FOLDER]" >&2
    exit 2
fi
db=$1
year=$2
out=${3:-bao-cao-$year}
format=${FORMAT:-docx}
export THIDUA_DB=$db

problems=0
# Runs thidua; a refusal (exit 3) is counted and the script goes on, anything worse stops it.
run() {
    "$@"
    local code=$?
    if [ "$code" -eq 3 ]; then
        problems=$((problems + 1))
    elif [ "$code" -ne 0 ]; then
        echo "annual-report: stopped, thidua exited with $code" >&2
        exit "$code"
    fi
    return "$code"
}

clusters=$(thidua cluster list --year "$year" --names) || exit $?
if [ -z "$clusters" ]; then
    echo "annual-report: no cluster has members in $year" >&2
    exit 3
fi
mkdir -p "$out" || exit 6

while IFS= read -r cluster; do
    file="$out/$(printf '%s' "$cluster" | tr ' /' '-_').$format"
    run thidua report --cluster "$cluster" --year "$year" --output "$file"
    # awards for one cluster refuses (exit 3) when it has no scores or an unresolved tie
    run thidua awards --cluster "$cluster" --year "$year" --format csv > /dev/null
done <<< "$clusters"

run thidua report --year "$year" --output "$out/tong-hop-$year.$format"
# --allow-ties: the CSV still lists both units of a tie, marked; the tie was counted above
run thidua awards --year "$year" --format csv --allow-ties --output "$out/de-nghi-khen-thuong-$year.csv"
run thidua submission --year "$year" --output "$out/to-trinh-$year.$format"

if [ "$problems" -gt 0 ]; then
    echo "annual-report: $problems problem(s) in $year; see the messages above" >&2
    exit 3
fi
echo "annual-report: $out" >&2
