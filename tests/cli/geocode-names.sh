#!/bin/bash
# geocode-names.sh — issue 13's acceptance list: place names as
# English-language reporting and ACLED notes spell them
# (tests/data/geocode/reporting-names.csv, sources in
# tests/data/geocode/README-reporting-names.md) must resolve within each
# case's tolerance at a rate of at least GEOCODE_NAMES_MIN_RATE (0.97);
# every miss is listed.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}" "${BM_TEST_DATA:?}"
: "${GEOCODE_NAMES_MIN_RATE:=0.97}"
export GEOCODE_NAMES_MIN_RATE
CASES=$BM_TEST_DATA/geocode/reporting-names.csv
CHECK=$BM_SOURCE_DIR/tests/geocode/check_names.py

command -v geod >/dev/null || fail "PROJ's geod is needed (package proj-bin)"
python3 "$CHECK" catalog "$CASES" names.csv || fail "cannot write the catalog"
expect_status 0 "$BORDERMAP" geocode names.csv -o names.geojson
python3 "$CHECK" check "$CASES" names.geojson ||
    fail "reporting names resolve below $GEOCODE_NAMES_MIN_RATE (misses above)"
pass
done_checks
