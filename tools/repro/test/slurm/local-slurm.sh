#!/usr/bin/env bash
# A single-node Slurm on localhost for the tests, everything under one directory:
#
#   local-slurm.sh start DIR   starts munged, slurmctld and slurmd (as root), waits until the node
#                              is idle, and prints SLURM_CONF=DIR/slurm.conf on its last line
#   local-slurm.sh stop DIR    stops the three daemons started there (by their pid files)
#
# Debian's slurm-wlm and munge must be installed (.ci/run installs them). The node has the
# machine's CPUs and memory (from `slurmd -C`); no cgroups (proctrack/linuxproc, task/none), so it
# runs in a container too. Ports are picked at random so two test runs do not meet. A requeued
# job waits AuthInfo's cred_expire (+1 s) before it may start again: 5 s here (Slurm's minimum;
# its default is 120 s).
set -euo pipefail

cmd=${1:?usage: local-slurm.sh start|stop DIR}
dir=${2:?usage: local-slurm.sh start|stop DIR}

stop() {
  for name in slurmd slurmctld munged; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

fail() {
  echo "local-slurm: $1" >&2
  for log in munged.log slurmctld.log slurmd.log; do
    [ -f "$dir/$log" ] && { echo "--- $log" >&2; tail -n 15 "$dir/$log" >&2; }
  done
  stop
  exit 1
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: local-slurm.sh start|stop DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "local-slurm: needs root (slurmd launches jobs as their user)" >&2; exit 1; }
for bin in munged slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$bin" >/dev/null || { echo "local-slurm: $bin is not installed (apt-get install slurm-wlm munge)" >&2; exit 1; }
done

mkdir -p "$dir"/{munge,state,spool}
chmod 700 "$dir/munge"
# munged: its own key, socket and files (the system one, if any, is left alone)
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
socket="$dir/munge/munge.socket"
munged --force --key-file="$dir/munge/munge.key" --socket="$socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed" ||
  fail "munged did not start"

port() { echo $((20000 + RANDOM % 20000)); }
ctld_port=$(port)
slurmd_port=$((ctld_port + 1))
node=localnode
# the machine's CPU count and memory, as slurmd sees them
hw=$(slurmd -C | head -n 1)
cpus=$(echo "$hw" | sed -n 's/.* CPUs=\([0-9]*\).*/\1/p')
memory=$(echo "$hw" | sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p')
[ -n "$cpus" ] && [ -n "$memory" ] || fail "cannot read CPUs and RealMemory from slurmd -C: $hw"

cat >"$dir/slurm.conf" <<EOF
ClusterName=mbrl-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket,cred_expire=5
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
PropagatePrioProcess=1
KillWait=30
MinJobAge=300
InactiveLimit=0
NodeName=$node NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N "$node" || fail "slurmd did not start"

# the daemons answer at normal priority even when the test runs under nice (the jobs keep the
# submitting command's niceness: PropagatePrioProcess=1)
for name in munged slurmctld slurmd; do renice -n 0 -p "$(cat "$dir/$name.pid")" >/dev/null 2>&1 || true; done

for _ in $(seq 150); do
  state=$(sinfo -h -N -n "$node" -o '%t' 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) echo "SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
fail "the node did not become idle in 30 s (state: ${state:-none})"
