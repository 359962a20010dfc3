#!/usr/bin/env bash
# Instructions per call of each request-path row, generated and hand-written, counted by
# valgrind's callgrind (deterministic: they do not depend on the machine's load).
#
# usage: scripts/bench-instructions.sh            (builds the bench binary first; needs valgrind)
#
# The no-I/O rows: N=1200 minus N=200 calls of one side (PAYGEN_BENCH_PREPARE_SIDE), after one
# warm-up call. The loopback rows: the client side's inclusive cost at 2000 minus 1000 calls
# (PAYGEN_BENCH_LOOPBACK_SIDE). The answer and webhook rows: each side's inclusive cost under the
# row's closure in smoke mode, divided by their number. The no-I/O and loopback rows also print
# the count outside SHA block compression (see `hashed` below).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
bin=$(cargo bench -p paygen-connectors --bench request_path --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*request_path[^"]*\)".*/\1/p' | tail -1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

collected() { grep -o 'Collected : [0-9]*' "$1" | awk '{print $3}'; }
# Instructions spent compressing SHA-1/SHA-256 blocks in a callgrind output (inclusive). Under
# valgrind the sha1/sha2 crates take their software path; a CPU with SHA extensions (this
# project's machines have them) does the same work in a small fraction of the time, so the
# figure "outside the digest" is the one the timed ratios follow.
hashed() {
  callgrind_annotate --inclusive=yes "$1" 2>/dev/null \
    | awk '/\?\?\?:(sha1::compress::compress|sha2::sha256::compress256) / {gsub(",", "", $1); s += $1}
           END {print s + 0}'
}
# Each function the row's closure calls: "<cost> (..%)  < ???:<row>_row::{{closure}} (<n>x)"
# lines name a caller; the "*" line after them names the function they are the cost of.
per_side() {
  awk -v row="$1" -v caller="< ???:request_path::$1_row::{{closure}} (" '
    index($0, caller) { c = $1; gsub(",", "", c); k = $0; sub(/.*\{\{closure\}\} \(/, "", k); sub(/x\).*/, "", k); next }
    /\*  \?\?\?:/ { if (c != "" && c / k > 1000) { n = $0; sub(/.*\*  \?\?\?:/, "", n); sub(/ \[.*/, "", n);
                                 printf "%-11s %s: %d instructions per call (%d calls)\n", row, n, c / k, k }
                      c = "" }
    /^$/ { c = "" }'
}

for side in hand-payout generated-payout hand-charge generated-charge; do
  for n in 200 1200; do
    PAYGEN_BENCH_PREPARE_SIDE=$side PAYGEN_BENCH_CALLS=$n valgrind --tool=callgrind \
      --callgrind-out-file="$out/$side.$n.cg" --toggle-collect='*prepare_side_calls*' "$bin" \
      >/dev/null 2>"$out/$side.$n"
  done
  a=$(collected "$out/$side.200"); b=$(collected "$out/$side.1200")
  ha=$(hashed "$out/$side.200.cg"); hb=$(hashed "$out/$side.1200.cg")
  echo "no I/O      $side: $(( (b - a) / 1000 )) instructions per call," \
    "$(( (b - a - hb + ha) / 1000 )) outside the digest"
done

for side in hand-cactusgino generated-cactusgino hand-global_solutions generated-global_solutions; do
  for n in 1000 2000; do
    PAYGEN_BENCH_LOOPBACK_SIDE=$side PAYGEN_BENCH_CALLS=$n valgrind --tool=callgrind \
      --callgrind-out-file="$out/$side.$n" "$bin" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out/$side.$n" 2>/dev/null \
      | grep -F 'one_side::{{closure}}::run::{{closure}}' | head -1 \
      | awk '{gsub(",", "", $1); print $1}' >"$out/$side.$n.sum"
    hashed "$out/$side.$n" >"$out/$side.$n.hash"
  done
  total=$(( $(cat "$out/$side.2000.sum") - $(cat "$out/$side.1000.sum") ))
  digest=$(( $(cat "$out/$side.2000.hash") - $(cat "$out/$side.1000.hash") ))
  echo "loopback    $side: $(( total / 1000 )) instructions per call (client side)," \
    "$(( (total - digest) / 1000 )) outside the digest"
done

for row in answer webhook; do
  PAYGEN_BENCH_SMOKE=1 PAYGEN_BENCH_ONLY=$row valgrind --tool=callgrind \
    --callgrind-out-file="$out/$row" "$bin" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes --tree=caller "$out/$row" 2>/dev/null | per_side "$row"
done
