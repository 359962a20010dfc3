#!/usr/bin/env bash
# Instructions per call of each request-path row, generated and hand-written, counted by
# valgrind's callgrind (deterministic: they do not depend on the machine's load).
#
# usage: scripts/bench-instructions.sh            (builds the bench binary first; needs valgrind)
#
# The no-I/O rows: N=1200 minus N=200 calls of one side (PAYGEN_BENCH_PREPARE_SIDE), after one
# warm-up call. The loopback rows: the client side's inclusive cost at 2000 minus 1000 calls
# (PAYGEN_BENCH_LOOPBACK_SIDE). The answer and webhook rows: each side's function (named below),
# its inclusive cost in smoke mode divided by its calls. The no-I/O and loopback rows also print
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
# A function's inclusive cost per call, summed over its callers ("<cost> <func> [bin]" block of
# `--tree=caller`, whose "< caller (<n>x)" lines give the calls); named, since the compiler may
# inline a row's closure into its caller.
named_per_call() {
  callgrind_annotate --inclusive=yes --tree=caller "$1" 2>/dev/null | awk -v f="???:$2 [" '
    /^$/ { n = 0; next }
    / < / { c = $0; sub(/.*\(/, "", c); sub(/x\).*/, "", c); calls[++n] = c; next }
    /\*  / { if (index($0, f)) { t = $1; gsub(",", "", t); k = 0; for (i = 1; i <= n; i++) k += calls[i]
                                  if (k > 0 && !done) printf "%d %d\n", t / k, k; done = 1 }
            n = 0 }'
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

row_sides() { # row, hand-written function, generated function
  PAYGEN_BENCH_SMOKE=1 PAYGEN_BENCH_ONLY=$1 valgrind --tool=callgrind \
    --callgrind-out-file="$out/$1" "$bin" >/dev/null 2>&1
  for f in "$2" "$3"; do
    named_per_call "$out/$1" "$f" | awk -v r="$1" -v f="$f" \
      '{printf "%-11s %s: %d instructions per call (%d calls)\n", r, f, $1, $2}'
  done
}
row_sides answer request_path::hand::Cactus::answer \
  'paygen_runtime::engine::interpret::<impl paygen_runtime::engine::Engine>::receive'
row_sides webhook request_path::hand::Gs::webhook paygen_connectors::global_solutions::receive_webhook
