#!/usr/bin/env bash
#===- utils/run-example.sh - The main job on the bundled real example -------===#
#
# README command (1): installs the dependencies, builds sffnn, and runs the
# Fashion-MNIST example (examples/fashion-mnist/run.sh): the pruned
# LeNet-300-100 model is compiled from ONNX to an object file and a C
# header, linked into an application, and run on the 10,000 test images
# against the PyTorch reference and against sffnn's layerwise CSR build.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/utils/setup.sh"
exec bash "$root/examples/fashion-mnist/run.sh"
