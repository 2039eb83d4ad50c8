#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, without systemd, for the tests:
#   source tests/slurm/cluster.sh; cluster_start DIR; ...; cluster_stop
# munged runs with its own key and socket, slurmctld and slurmd with a
# generated slurm.conf (proctrack/linuxproc, task/none, select/cons_tres),
# state, spool and logs under DIR, on ports that are not Slurm's defaults.
# cluster_stop stops every daemon it started, by pid. Needs root (slurmd
# launches jobs) and Debian's slurm-wlm and munge.

cluster_start() {
  OCB_CLUSTER_DIR=$(realpath -m "$1")
  local d=$OCB_CLUSTER_DIR
  mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
  chmod 700 "$d/munge"
  OCB_CLUSTER_NODE=ocbnode
  # Two free ports (controller, node daemon): another cluster may run here.
  local port=${OCB_SLURM_PORT:-}
  if [ -z "$port" ]; then
    for candidate in $(seq 16817 10 17817); do
      if ! (exec 3<> "/dev/tcp/127.0.0.1/$candidate") 2> /dev/null && ! (exec 3<> "/dev/tcp/127.0.0.1/$((candidate + 1))") 2> /dev/null; then
        port=$candidate
        break
      fi
    done
  fi
  local cpus; cpus=$(nproc)
  local mem; mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  # munge: its own key, socket and files.
  dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$d/munge/munge.key"
  munged --force --key-file="$d/munge/munge.key" --socket="$d/munge/munge.sock" --pid-file="$d/munge/munged.pid" \
    --log-file="$d/log/munged.log" --seed-file="$d/munge/munged.seed" || { echo "cluster: munged did not start" >&2; return 1; }
  cat > "$d/slurm.conf" <<CONF
ClusterName=ocbtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
KillWait=10
MinJobAge=3600
MaxArraySize=10001
SchedulerParameters=sched_interval=2
NodeName=$OCB_CLUSTER_NODE NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$OCB_CLUSTER_NODE Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$d/slurm.conf
  setsid slurmctld -D -i -f "$d/slurm.conf" > "$d/log/slurmctld.out" 2>&1 < /dev/null &
  echo $! > "$d/slurmctld.child"
  setsid slurmd -D -N "$OCB_CLUSTER_NODE" -f "$d/slurm.conf" > "$d/log/slurmd.out" 2>&1 < /dev/null &
  echo $! > "$d/slurmd.child"
  for _ in $(seq 150); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then return 0; fi
    sleep 0.2
  done
  echo "cluster: the node did not come up; logs in $d/log:" >&2
  tail -n 20 "$d"/log/* >&2
  return 1
}

cluster_stop() {
  local d=$OCB_CLUSTER_DIR
  [ -n "$d" ] || return 0
  scancel --quiet --user="$(id -un)" 2>/dev/null || true
  for f in slurmd.child slurmctld.child; do
    [ -f "$d/$f" ] && kill "$(cat "$d/$f")" 2>/dev/null || true
  done
  [ -f "$d/munge/munged.pid" ] && kill "$(cat "$d/munge/munged.pid")" 2>/dev/null || true
  for f in slurmd.child slurmctld.child; do
    if [ -f "$d/$f" ]; then
      local pid; pid=$(cat "$d/$f")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  OCB_CLUSTER_DIR=
}
