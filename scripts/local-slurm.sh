#!/usr/bin/env bash
# A one-node Slurm on this machine, for trying `ocbench slurm` without a
# cluster (root, Debian's slurm-wlm and munge: scripts/install-deps.sh --test).
#   eval "$(scripts/local-slurm.sh start /tmp/ocb-cluster)"   # exports SLURM_CONF
#   scripts/local-slurm.sh stop /tmp/ocb-cluster
# The same cluster the tests start (tests/slurm/cluster.sh), left running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/slurm/cluster.sh"
case "${1:-}" in
  start)
    cluster_start "${2:?usage: $0 start DIR}" >&2
    echo "export SLURM_CONF=$OCB_CLUSTER_DIR/slurm.conf"
    ;;
  stop)
    OCB_CLUSTER_DIR=$(realpath -m "${2:?usage: $0 stop DIR}")
    export SLURM_CONF=$OCB_CLUSTER_DIR/slurm.conf
    cluster_stop
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
