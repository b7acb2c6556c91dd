#!/usr/bin/env bash
#===- examples/fashion-mnist/run.sh - The main job --------------------------===#
#
# Compiles the pruned Fashion-MNIST model (model.onnx, made by train.py) with
# sffnn-compile twice -- the annealed plan, and sffnn's layerwise CSR
# lowering of the same model -- builds app.c against the two headers, and
# runs it on the 10,000 test images of Debian's dataset-fashion-mnist.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/examples/fashion-mnist"
build=${SFFNN_BUILD_DIR:-$root/build}
out="$build/examples/fashion-mnist"
data=/usr/share/datasets/fashion-mnist
mkdir -p "$out"

bash "$root/utils/build.sh" sffnn-compile >/dev/null
"$build/bin/sffnn-compile" "$here/model.onnx" --name fmnist \
  --strategy anneal --codegen auto -o "$out/fmnist.o" \
  --header "$out/fmnist.h" --report
"$build/bin/sffnn-compile" "$here/model.onnx" --name fmnist_csr \
  --codegen csr -o "$out/fmnist_csr.o" --header "$out/fmnist_csr.h"
cc -O2 -I"$out" "$here/app.c" "$out/fmnist.o" "$out/fmnist_csr.o" \
  -lz -lm -o "$out/app"
echo
"$out/app" "$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz" \
  "$here/reference-logits.f32"
