#!/bin/sh
# $xenoport$
#
# Makes the root file system: the tree of userland/root, the programs
# installed in $5 (if given), plus generated files in $2, then a UFS1
# image $3 of it with makefs (8 KiB blocks, 1 KiB fragments, as FreeBSD
# 4's newfs) and an md5sum manifest $4.  The image has a fixed size,
# IMAGE_SIZE (default 2 MiB), whatever the programs in it: the kernel
# prints the size of its memory disk and counts its pages, and the image
# of gcc's programs and the one of xenoport's must give the same console.  The image also carries the
# manifest of its other files as /etc/manifest.md5, for the validation
# suite's files program.
# The image is the same bytes on every build: modes are set here,
# makefs -T clamps every time stamp, and the superblock's in-core
# pointer fields (fs_ocsp .. fs_maxcluster, bytes 728-855), which makefs
# fills from its own heap, are cleared in every superblock copy.
#
# usage: sh mkroot.sh <userland dir> <root dir> <image> <manifest> [<programs>]
set -eu
U=$1
PROGS=${5:-}
IMAGE_SIZE=${IMAGE_SIZE:-2m}
# Work on names of this run's own and rename at the end, so that two
# builds running at once each leave a whole tree, image and manifest.
R_FINAL=$2
IMG_FINAL=$3
MAN_FINAL=$4
R=$2.tmp.$$
IMG=$3.tmp.$$
MAN=$4.tmp.$$
trap 'rm -rf "$R" "$IMG" "$MAN"' EXIT
TSTAMP=1049328000	# 2003-04-03, FreeBSD 4.8's release

rm -rf "$R"
mkdir -p "$R"
cp -R "$U/root/." "$R/"

# A file of 300 KiB: twelve direct blocks and a single indirect one.
mkdir -p "$R/data/nested/deeper/deepest"
awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf("%06d the quick brown fox jumps over the lazy dog %08x\n", i,
	    (i * 2654435761) % 4294967296) }' | head -c 307200 > "$R/data/big"
# A small file that ends in fragments, and one of a whole block.
awk 'BEGIN { for (i = 0; i < 100; i++) printf("fragment line %03d\n", i) }' \
    > "$R/data/nested/frag.txt"
head -c 8192 "$R/data/big" > "$R/data/nested/deeper/block.bin"
printf 'at the bottom\n' > "$R/data/nested/deeper/deepest/leaf.txt"
: > "$R/data/empty"
# Symbolic links: a short one (kept in the inode) and a long one (a block).
ln -s etc/motd "$R/motd"
ln -s ../../data/nested/deeper/deepest/../deepest/../../deeper/deepest/leaf.txt \
    "$R/usr/share/leaf"

if [ -n "$PROGS" ]; then
	cp -R "$PROGS/." "$R/"
fi

find "$R" -type d -exec chmod 755 {} +
find "$R" -type f -exec chmod 644 {} +
for d in bin sbin; do
	if [ -d "$R/$d" ]; then
		find "$R/$d" -type f -exec chmod 555 {} +
	fi
done

# The manifest the image carries: every other file, as md5sum prints it.
(cd "$R" && find . -type f ! -path ./etc/manifest.md5 | LC_ALL=C sort | \
    sed 's|^\./||' | while read -r f; do md5sum "$f"; done) \
    > "$R/etc/manifest.md5"
chmod 644 "$R/etc/manifest.md5"

makefs -t ffs -o version=1,bsize=8192,fsize=1024 -T "$TSTAMP" \
    -s "$IMAGE_SIZE" "$IMG" "$R" >/dev/null

# The superblock copies: at SBOFF and at each cylinder group's sblkno.
field() {
	od -A n -t d4 -j $((8192 + $1)) -N 4 "$IMG" | tr -d ' '
}
sblkno=$(field 8)
cgoffset=$(field 24)
cgmask=$(field 28)
ncg=$(field 44)
fsize=$(field 52)
fpg=$(field 188)
clear_pointers() {
	dd if=/dev/zero of="$IMG" bs=1 seek=$(($1 + 728)) count=128 \
	    conv=notrunc 2>/dev/null
}
clear_pointers 8192
c=0
while [ $c -lt "$ncg" ]; do
	start=$((fpg * c + cgoffset * (c & ~cgmask)))
	clear_pointers $(((start + sblkno) * fsize))
	c=$((c + 1))
done

(cd "$R" && find . -type f | LC_ALL=C sort | sed 's|^\./||' | \
    while read -r f; do md5sum "$f"; done) > "$MAN"

rm -rf "$R_FINAL"
mv -T "$R" "$R_FINAL" 2>/dev/null || rm -rf "$R"
mv -f "$IMG" "$IMG_FINAL"
mv -f "$MAN" "$MAN_FINAL"
trap - EXIT
