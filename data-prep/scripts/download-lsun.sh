#!/usr/bin/env bash
# Downloads an LSUN scene category as distributed (a zipped LMDB of WebP images), as the original tutorial did with
# LSUN's download.py, and unpacks it into DIR/<category>_<set>_lmdb/ for `onestep prep lsun`.
#   data-prep/scripts/download-lsun.sh bedroom DIR          (train set, ~43 GB zipped for bedroom)
#   data-prep/scripts/download-lsun.sh cat DIR              (objects: cat, ~40 GB)
# Then, for the Consistency Models' LSUN 256x256:
#   bin/onestep prep lsun --category bedroom --input DIR/bedroom_train_lmdb --output DIR/bedroom-256 --resolution 256
# The LMDB must be on a path every Spark executor can read (a shared file system or a copy per node).
# Not run on this machine (no network beyond package registries).
set -euo pipefail
category=${1:?usage: download-lsun.sh CATEGORY DIR [SET]}
dir=${2:?usage: download-lsun.sh CATEGORY DIR [SET]}
set_name=${3:-train}
base=${LSUN_URL:-http://dl.yf.io/lsun}
case "$category" in
  bedroom|bridge|church_outdoor|classroom|conference_room|dining_room|kitchen|living_room|restaurant|tower)
    url="$base/scenes/${category}_${set_name}_lmdb.zip"; name="${category}_${set_name}_lmdb";;
  airplane|bicycle|bird|boat|bottle|bus|car|cat|chair|cow|dining_table|dog|horse|motorbike|person|potted_plant|sheep|sofa|train|tv-monitor)
    url="$base/objects/${category}.zip"; name="$category";;
  *) echo "download-lsun: unknown category '$category'" >&2; exit 2;;
esac
mkdir -p "$dir"
cd "$dir"
curl -fL --retry 5 -C - -o "$name.zip" "$url"
unzip -q -o "$name.zip"
[ -f "$name/data.mdb" ] || { echo "download-lsun: $name.zip did not hold $name/data.mdb" >&2; exit 1; }
echo "download-lsun: $dir/$name (LMDB); prep with: bin/onestep prep lsun --input $dir/$name ..."
