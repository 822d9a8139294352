#!/bin/bash
# extract.sh — `bordermap extract`: outputs (CSV, GeoJSON, GeoPackage,
# stdout into render), options, and bad input.
. "$(dirname "$0")/lib.sh"
true
