#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints the GPUs this
# process may use as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}.
# Where CUDA_VISIBLE_DEVICES is set (YARN and some Kubernetes setups isolate GPUs that way) its entries are the
# addresses, ordinals or UUIDs as given; the executor maps an address to the index CUDA gives it (GpuDevices).
# Otherwise nvidia-smi's indices; no GPU (or no nvidia-smi) gives an empty list.
set -euo pipefail
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  ids=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n')
elif command -v nvidia-smi >/dev/null; then
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
else
  ids=""
fi
addresses=$(echo "$ids" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d; s/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
