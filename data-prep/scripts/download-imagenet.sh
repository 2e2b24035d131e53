#!/usr/bin/env bash
# Downloads and unpacks ILSVRC-2012 (ImageNet-1k) into the layouts `onestep prep imagenet` reads:
#   DIR/train/<wnid>/*.JPEG                      (1,281,167 images, 1,000 classes)
#   DIR/val/*.JPEG + DIR/LOC_val_solution.csv    (50,000 images with their wnids)
# ImageNet needs an account: either
#   (a) image-net.org: accept the terms, then pass the two archive URLs your account page shows:
#         IMAGENET_TRAIN_URL=... IMAGENET_VAL_URL=... IMAGENET_VAL_LABELS_URL=... data-prep/scripts/download-imagenet.sh DIR
#   (b) Kaggle's "imagenet-object-localization-challenge" (needs the kaggle CLI and ~/.kaggle/kaggle.json):
#         data-prep/scripts/download-imagenet.sh --kaggle DIR
# Then, for the Consistency Models' ImageNet 64x64:
#   bin/onestep prep imagenet --input DIR/train --output DIR/shards-64 --resolution 64 --shuffle-seed 0
# This machine has no network beyond package registries: the script is written for the user's machines and was
# checked with bash -n and shellcheck-style review, not run here.
set -euo pipefail
kaggle=0
if [ "${1:-}" = "--kaggle" ]; then kaggle=1; shift; fi
dir=${1:?usage: download-imagenet.sh [--kaggle] DIR}
mkdir -p "$dir"
cd "$dir"
if [ "$kaggle" = 1 ]; then
  command -v kaggle >/dev/null || { echo "download-imagenet: the kaggle CLI is not installed (pip install kaggle)" >&2; exit 1; }
  kaggle competitions download -c imagenet-object-localization-challenge -p .
  unzip -q imagenet-object-localization-challenge.zip 'ILSVRC/Data/CLS-LOC/train/*' 'ILSVRC/Data/CLS-LOC/val/*' LOC_val_solution.csv
  mv ILSVRC/Data/CLS-LOC/train train
  mv ILSVRC/Data/CLS-LOC/val val
  rm -rf ILSVRC imagenet-object-localization-challenge.zip
else
  : "${IMAGENET_TRAIN_URL:?set IMAGENET_TRAIN_URL (ILSVRC2012_img_train.tar) from your image-net.org account}"
  : "${IMAGENET_VAL_URL:?set IMAGENET_VAL_URL (ILSVRC2012_img_val.tar)}"
  : "${IMAGENET_VAL_LABELS_URL:?set IMAGENET_VAL_LABELS_URL (a 'image wnid' list such as LOC_val_solution.csv)}"
  curl -fL --retry 5 -C - -o ILSVRC2012_img_train.tar "$IMAGENET_TRAIN_URL"
  curl -fL --retry 5 -C - -o ILSVRC2012_img_val.tar "$IMAGENET_VAL_URL"
  curl -fL --retry 5 -o LOC_val_solution.csv.tmp "$IMAGENET_VAL_LABELS_URL" && mv LOC_val_solution.csv.tmp LOC_val_solution.csv
  # the training archive holds one tar per class
  mkdir -p train.tmp && tar -xf ILSVRC2012_img_train.tar -C train.tmp
  for t in train.tmp/*.tar; do
    wnid=$(basename "$t" .tar)
    mkdir -p "train.tmp/$wnid" && tar -xf "$t" -C "train.tmp/$wnid" && rm "$t"
  done
  mv train.tmp train
  mkdir -p val.tmp && tar -xf ILSVRC2012_img_val.tar -C val.tmp && mv val.tmp val
fi
echo "download-imagenet: $(find train -name '*.JPEG' | wc -l) training and $(find val -name '*.JPEG' | wc -l) validation images in $dir"
