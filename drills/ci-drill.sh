#!/usr/bin/env bash
# The short drill CI runs after the tests: a 3-process fabric on a real 3-node Cassandra (one
# data center per AZ), clients reading, writing and compare-and-setting through every node
# while the node leading their bucket is killed with kill -9 (and restarted by the
# supervisor). Fails on any lost acknowledged write, linearizability violation, unchecked
# key or unrecovered fault. Then the same against queues (--workload sqs): a standard and a
# FIFO queue whose leaders are killed in turn; fails on a lost acknowledged message or a
# broken FIFO order. Then a table (--workload dynamodb): transfers between accounts and
# atomic reads of them while the partition's leader is killed; fails on a lost acknowledged
# put or an atomic read that does not sum to the total.
# Then a stream (--workload kinesis): producers with per-key counters while the shards'
# leaders are killed and the stream is rescaled every 15 s (readers follow parents to
# children); fails on a lost, duplicated or reordered acknowledged record. Reports land in drills/target/ci-drill/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/drills/target/ci-drill"
data="$(mktemp -d /tmp/fabric-ci-drill.XXXXXX)"
mkdir -p "$out"

finish() {
  status=$?
  if [ "$status" -ne 0 ] && [ -d "$data/logs" ]; then
    echo "ci-drill: failed; the last lines of each log:" >&2
    for log in "$data"/logs/*.log; do
      echo "== $log" >&2
      tail -n 30 "$log" >&2 || true
    done
  fi
  "$repo/fabric" down --data-dir "$data" || true
  cp -r "$data/logs" "$out/" 2>/dev/null || true
  rm -rf "$data"
  exit "$status"
}
trap finish EXIT

"$repo/fabric" up --processes 3 --journal cassandra --detach --data-dir "$data"
"$repo/fabric" drill kill --data-dir "$data" --duration 90 --interval 20 \
  --json "$out/kill.json" --html "$out/kill.html" --history "$out/kill-history.json"
"$repo/fabric" drill kill --workload sqs --data-dir "$data" --duration 60 --interval 20 \
  --json "$out/kill-sqs.json" --html "$out/kill-sqs.html" --history "$out/kill-sqs-history.json"
"$repo/fabric" drill kill --workload dynamodb --data-dir "$data" --duration 60 --interval 20 \
  --json "$out/kill-dynamo.json" --html "$out/kill-dynamo.html" \
  --history "$out/kill-dynamo-history.json"
"$repo/fabric" drill kill --workload kinesis --data-dir "$data" --duration 60 --interval 20 \
  --reshard-every 15 --json "$out/kill-kinesis.json" --html "$out/kill-kinesis.html" \
  --history "$out/kill-kinesis-history.json"
