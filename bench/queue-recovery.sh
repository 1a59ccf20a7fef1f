#!/usr/bin/env bash
# Recovery of a queue with N waiting messages (default 1,000,000): fills one queue through
# a fresh `./fabric up` (embedded H2 journal), stops the fabric, starts it again, and
# reports the queue leader's start ("leader started ... after X ms (epochs loaded, replay,
# claim)") and the first receive's latency. Usage: bench/queue-recovery.sh [N] [data-dir]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000000}"
data="${2:-/tmp/fabric-queue-recovery}"
targets=localhost:50051,localhost:50052,localhost:50053
queue=recovery-q
rm -rf "$data" && mkdir -p "$data"

start_fabric() { # $1 = log file; sets pid
  "$repo/fabric" up --data-dir "$data/fabric" >"$1" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    if grep -q "fabric is ready" "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "fabric exited, see $1" >&2; exit 1; fi
    sleep 1
  done
  echo "fabric not up after 180 s, see $1" >&2; exit 1
}

stop_fabric() {
  kill -TERM "$pid"; wait "$pid" || true
}

start_fabric "$data/first.log"
"$repo/fabric" bench --service sqs-depth --target "$targets" --queue "$queue" --keep \
  --depths "$(python3 -c "print(','.join(str(d) for d in [10,1000,10000,100000,1000000] if d < $n) + ',$n')")"
stop_fabric

du -sh "$data/fabric" | sed 's/^/data dir after the fill: /'
start_fabric "$data/second.log"
"$repo/fabric" bench --service sqs-depth --target "$targets" --queue "$queue" --keep \
  --no-fill --depths "$n" --probes 50
grep -h "leader started: Queue 000000000000/$queue" "$data/second.log" || \
  echo "no leader start line for the queue in $data/second.log" >&2
stop_fabric
