#!/usr/bin/env bash
# Builds this runner in a scratch copy (Maven Central: DJL and PyTorch's CPU libraries) and times a trace.
# usage: run.sh TRACE.pt SIZE CLASSES BATCHES ITERATIONS WARMUP [THREADS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${TORCHSCRIPT_BENCH_DIR:-${TMPDIR:-/tmp}/onestep-torchscript-sample}
threads=${7:-$(nproc)}
mkdir -p "$work"
cp -r "$here/pom.xml" "$here/src" "$work/"
cd "$work"
if [ ! -f target/cp.txt ] || [ -n "$(find src pom.xml -newer target/cp.txt 2>/dev/null)" ]; then
  mvn -q -B package && mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OMP_NUM_THREADS=$threads
exec java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "target/classes:$(cat target/cp.txt)" onestep.djl.TorchScriptSample "$@"
