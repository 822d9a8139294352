#!/bin/bash
# deb.sh — the Debian package as a user gets it: installs it with apt
# (which pulls in its dependencies), then, from an empty folder, renders
# the default map with /usr/bin/bordermap, and builds and runs a program
# against the installed library. Changes the system: run it on a machine
# (or container) where installing bordermap under /usr is wanted, as CI does.
# Usage: tests/install/deb.sh build-deb/bordermap_VERSION_ARCH.deb
DEB=$(realpath "${1:?usage: deb.sh PACKAGE.deb}")
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# apt-get takes a local package file only as a path with a slash;
# --reinstall replaces an installed package of the same version.
cp "$DEB" ./ && DEB=./$(basename "$DEB")
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$DEB" >apt.log 2>&1 ||
    fail "apt-get install: $(tail -n 20 apt.log)"
depends=$(dpkg-query -W -f='${Depends}' bordermap)
for p in fonts-dejavu-core libgdal libproj libgeos-c libcairo2 libpango; do
    case "$depends" in *"$p"*) ;; *) fail "Depends lacks $p: $depends" ;; esac
done
pass

mkdir empty && cd empty || fail "no empty folder"
/usr/bin/bordermap render /usr/share/bordermap/styles/central-asia.json -o map.png 2>err ||
    fail "render: $(cat err)"
expect_png map.png /usr/share/bordermap/styles/central-asia.json
/usr/bin/bordermap --help | grep -q '^Data: /usr/share/bordermap ' ||
    fail "bordermap --help: $(/usr/bin/bordermap --help | tail -n 3)"
man -w bordermap >/dev/null 2>&1 || fail "man bordermap finds no page"
pass

# The library from its system location, through the ldconfig cache.
cc -o hello "$HERE/hello.c" $(pkg-config --cflags --libs bordermap) ||
    fail "hello.c does not build against the package"
./hello >out 2>&1 || fail "hello: $(cat out)"
grep -qx 'data: /usr/share/bordermap' out || fail "hello found its data elsewhere: $(cat out)"
pass

done_checks
