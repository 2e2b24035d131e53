#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints the GPUs of this
# machine as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}.
# Honours CUDA_VISIBLE_DEVICES when set (YARN and Kubernetes isolate GPUs that way).
set -euo pipefail
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  ids=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n')
else
  command -v nvidia-smi >/dev/null || { echo '{"name": "gpu", "addresses": []}'; exit 0; }
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
fi
addresses=$(echo "$ids" | sed '/^\s*$/d' | sed 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
