#!/bin/sh
# $xenoport$
#
# Makes the root file system: the tree of userland/root plus generated
# files in $2, then a UFS1 image $3 of it with makefs (8 KiB blocks,
# 1 KiB fragments, as FreeBSD 4's newfs) and an md5sum manifest $4.
# The image is the same bytes on every build: modes are set here,
# makefs -T clamps every time stamp, and the superblock's in-core
# pointer fields (fs_ocsp .. fs_maxcluster, bytes 728-855), which makefs
# fills from its own heap, are cleared in every superblock copy.
#
# usage: sh mkroot.sh <userland dir> <root dir> <image> <manifest>
set -eu
U=$1
R=$2
IMG=$3
MAN=$4
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

find "$R" -type d -exec chmod 755 {} +
find "$R" -type f -exec chmod 644 {} +

makefs -t ffs -o version=1,bsize=8192,fsize=1024 -T "$TSTAMP" \
    -b 25% -f 25% "$IMG" "$R" >/dev/null

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
