#!/bin/bash
# install.sh — bordermap as installed: a release build of a copy of the
# source tree, `cmake --install`ed into a scratch prefix, then used with
# the copy and its build deleted and the prefix moved elsewhere, from an
# empty folder, without BORDERMAP_DATA or BORDERMAP_GEODATA: the tool, the
# man page, and a program built with pkg-config against the shared and the
# static library.
: "${BM_SOURCE_DIR:?path to the source tree}"
. "$(dirname "$0")/lib.sh"
SRC=$SCRATCH/src
BUILD=$SCRATCH/build
PREFIX=$SCRATCH/prefix

# The committed and staged files of the tree (what a release tarball
# holds); outside a git checkout, everything but builds and outputs.
copy_source() {
    mkdir -p "$SRC"
    if git -C "$BM_SOURCE_DIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$BM_SOURCE_DIR" ls-files -z | (cd "$BM_SOURCE_DIR" && xargs -0 cp --parents -t "$SRC")
    else
        tar -C "$BM_SOURCE_DIR" --exclude='./build*' --exclude=./output -cf - . | tar -C "$SRC" -xf -
    fi
}

copy_source || fail "cannot copy the source tree"
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" >"$SCRATCH/configure.log" 2>&1 ||
    fail "configure: $(tail -n 20 "$SCRATCH/configure.log")"
cmake --build "$BUILD" -j "$(nproc)" >"$SCRATCH/build.log" 2>&1 ||
    fail "build: $(tail -n 20 "$SCRATCH/build.log")"
cmake --install "$BUILD" >"$SCRATCH/install.log" 2>&1 ||
    fail "install: $(tail -n 20 "$SCRATCH/install.log")"
rm -rf "$SRC" "$BUILD"
pass

# The layout.
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$PREFIX" -name bordermap.pc)")
LIBDIR=$(pkg-config --variable=libdir bordermap) || fail "pkg-config does not know bordermap"
DATA=$PREFIX/share/bordermap
for f in bin/bordermap include/bordermap.h include/bordermap/geodata.h \
    include/bordermap/frontiers.h share/man/man1/bordermap.1 \
    share/bordermap/geodata/countries.fgb share/bordermap/geodata/gazetteer.tsv \
    share/bordermap/geodata/catalog.csv share/bordermap/geodata/ATTRIBUTION \
    share/bordermap/geodata/SOURCES.lock share/bordermap/geodata/SOURCES-curated.md \
    share/bordermap/styles/central-asia.json share/bordermap/styles/series.json; do
    [ -f "$PREFIX/$f" ] || fail "$f not installed"
done
for f in libbordermap.a libbordermap.so libbordermap.so.0; do
    [ -e "$LIBDIR/$f" ] || fail "$LIBDIR/$f not installed"
done
readelf -d "$LIBDIR/libbordermap.so" | grep -q 'SONAME.*libbordermap\.so\.0\]' ||
    fail "libbordermap.so has no SONAME libbordermap.so.0"
for f in include/bordermap/render_int.h include/bordermap/countries_table.h \
    share/bordermap/geodata/build share/bordermap/geodata/build.py \
    share/bordermap/geodata/check_catalog.py; do
    [ ! -e "$PREFIX/$f" ] || fail "$f should not be installed"
done
pass
# Nothing installed names the deleted source copy or its build.
hits=$(grep -rlF -e "$SRC" -e "$BUILD" "$PREFIX")
[ -z "$hits" ] || fail "installed files name the source or build tree: $hits"
pass

# Every installed header compiles on its own, as C11.
for h in "$PREFIX"/include/bordermap.h "$PREFIX"/include/bordermap/*.h; do
    echo "#include \"$h\"" | cc -std=c11 -Wall -Wextra -Werror -fsyntax-only \
        $(pkg-config --cflags bordermap) -x c - || fail "$h does not compile on its own"
done
pass

# The man page renders without warnings.
warnings=$(groff -man -Tutf8 -ww -z "$PREFIX/share/man/man1/bordermap.1" 2>&1)
[ -z "$warnings" ] || fail "man page: $warnings"
man -l "$PREFIX/share/man/man1/bordermap.1" 2>&1 | grep -q 'bordermap frontiers' ||
    fail "man -l does not show the frontiers command"
pass

# A program built against the shared library, and one against the static
# library (-l:libbordermap.a picks the archive where -lbordermap would take
# the shared one).
mkdir "$SCRATCH/hello" && cd "$SCRATCH/hello" || fail "no scratch folder"
cc -o hello "$HERE/hello.c" $(pkg-config --cflags --libs bordermap) ||
    fail "hello.c does not build with pkg-config --cflags --libs"
libs=$(pkg-config --static --libs bordermap)
cc -o hello-static "$HERE/hello.c" $(pkg-config --static --cflags bordermap) \
    ${libs/-lbordermap/-l:libbordermap.a} ||
    fail "hello.c does not build with pkg-config --static"
readelf -d hello-static | grep -q 'libbordermap' && fail "hello-static needs libbordermap.so"
pass
LD_LIBRARY_PATH=$LIBDIR ./hello lib.png >out 2>err || fail "hello: $(cat out err)"
grep -qx "bordermap [0-9.]*" out || fail "hello printed no version: $(cat out)"
python3 -c "import sys; sys.exit(open('lib.png','rb').read(8) != b'\x89PNG\r\n\x1a\n')" ||
    fail "hello rendered no PNG through the library"
grep -qx "data: $DATA" out || fail "hello (shared) found its data elsewhere: $(cat out)"
./hello-static >out 2>err || fail "hello-static: $(cat out err)"
grep -qx "data: $DATA" out || fail "hello-static found its data elsewhere: $(cat out)"
pass

# Moved elsewhere, the tool and the shared library find their data
# relative to themselves: the configured location is gone.
mv "$PREFIX" "$SCRATCH/moved" || fail "cannot move the prefix"
PREFIX=$SCRATCH/moved
DATA=$PREFIX/share/bordermap
LIBDIR=$PREFIX${LIBDIR#"$SCRATCH/prefix"}
BM=$PREFIX/bin/bordermap
LD_LIBRARY_PATH=$LIBDIR ./hello >out 2>err || fail "hello after the move: $(cat out err)"
grep -qx "data: $DATA" out || fail "hello (shared) after the move: $(cat out)"
pass

mkdir "$SCRATCH/empty" && cd "$SCRATCH/empty" || fail "no empty folder"
"$BM" render "$DATA/styles/central-asia.json" -o map.png >out 2>err ||
    fail "render: $(cat err)"
expect_png map.png "$DATA/styles/central-asia.json"

printf 'event_id_cnty,event_date,country,location\nX1,2020-05-01,Tajikistan,Kulyab\n' >kulyab.csv
"$BM" geocode kulyab.csv -o kulyab.geojson 2>err || fail "geocode: $(cat err)"
python3 - kulyab.geojson <<'EOF' || fail "Kulyab misplaced: $(cat kulyab.geojson)"
import json, sys
lon, lat = json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"]
sys.exit(0 if abs(lon - 69.78) < 0.05 and abs(lat - 37.91) < 0.05 else 1)
EOF
pass

# --help names the data the tool found, never the deleted trees.
"$BM" --help >help || fail "bordermap --help failed"
grep -q "^Data: $DATA " help || fail "--help does not show $DATA: $(cat help)"
for cmd in geocode frontiers render export batch; do
    "$BM" "$cmd" --help >>help || fail "bordermap $cmd --help failed"
done
grep -q "default: $DATA/styles/central-asia.json" help ||
    fail "export --help does not name the installed default style"
grep -F -e "$SRC" -e "$BUILD" -e "$SCRATCH/prefix" help && fail "--help names a deleted tree"
pass

done_checks
