#!/usr/bin/env bash
# Simulated stand-ins for instructions per cycle on the loopback rows, where the VM has no
# hardware counters: for each side, per call (N=2000 minus N=1000 sequential calls of that side
# alone, PAYGEN_BENCH_LOOPBACK_SIDE, the whole process: client, runtime, in-process server):
#   - instructions, simulated L1 instruction and data misses, mispredicted conditional and
#     indirect branches (valgrind callgrind --cache-sim=yes --branch-sim=yes);
#   - locked read-modify-write instructions executed (`lock`-prefixed, and `xchg` with memory;
#     callgrind --dump-instr=yes, matched against objdump of the binary and libc);
#   - the code footprint: distinct 64-byte lines of code executed on every call.
#   - with PAYGEN_IPC_FUNCTIONS=N, the N functions with the most such lines (all monomorphized
#     copies of a generic function share its name; `'2` marks a recursive call's copy).
# Usage: scripts/loopback-ipc.sh [bench binary] [side ...] (sides default to all four).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
bin=${1:-$(cargo bench -p paygen-connectors --bench request_path --no-run --message-format=json \
  2>/dev/null | sed -n 's/.*"executable":"\([^"]*request_path[^"]*\)".*/\1/p' | tail -1)}
shift || true
bin=$(realpath "$bin")
sides=("$@")
[ ${#sides[@]} -gt 0 ] || sides=(hand-cactusgino generated-cactusgino hand-global_solutions
  generated-global_solutions)
libc=$(realpath "$(ldd "$bin" | awk '/libc\.so/ {print $3}')")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Addresses of locked instructions in one object, one hex number a line.
locked() {
  objdump -d --no-show-raw-insn "$1" \
    | awk -F'\t' '/^ *[0-9a-f]+:\t/ && ($2 ~ /^lock / || ($2 ~ /^xchg/ && $2 ~ /\(/)) {
        a = $1; sub(/:.*/, "", a); gsub(/ /, "", a); print a }'
}
locked "$bin" | sed 's/^/B /' >"$out/locked"
locked "$libc" | sed 's/^/L /' >>"$out/locked"

# "<B|L|-> <address> <count>" per instruction of a --dump-instr=yes --compress-pos=no output
# (the cost line after a `calls=` line is the call's inclusive cost, not the instruction's).
instructions() {
  awk -v bin="$bin" -v libc="$libc" '
    /^ob=/ { ob = substr($0, 4); o = (ob == bin) ? "B" : (ob ~ /\/libc\.so/) ? "L" : "-"; next }
    /^calls=/ { skip = 1; next }
    /^0x/ { if (skip) { skip = 0; next } c[o " " $1] += $3; next }
    END { for (k in c) print k, c[k] }' "$1"
}

# "<object> <address>\t<function>\t<count>" per instruction (as `instructions`, with the
# function each instruction was run in).
in_functions() {
  awk -v bin="$bin" -v libc="$libc" '
    /^ob=/ { ob = substr($0, 4); o = (ob == bin) ? "B" : (ob ~ /\/libc\.so/) ? "L" : "-"; next }
    /^fn=/ { fn = substr($0, 4); next }
    /^calls=/ { skip = 1; next }
    /^0x/ { if (skip) { skip = 0; next } c[o " " $1 "\t" fn] += $3; next }
    END { for (k in c) print k "\t" c[k] }' "$1"
}

for side in "${sides[@]}"; do
  for n in 1000 2000; do
    PAYGEN_BENCH_LOOPBACK_SIDE=$side PAYGEN_BENCH_CALLS=$n valgrind --tool=callgrind \
      --cache-sim=yes --branch-sim=yes --callgrind-out-file="$out/sim.$n" "$bin" >/dev/null 2>&1
    PAYGEN_BENCH_LOOPBACK_SIDE=$side PAYGEN_BENCH_CALLS=$n valgrind --tool=callgrind \
      --dump-instr=yes --compress-pos=no --compress-strings=no \
      --callgrind-out-file="$out/ins.$n" "$bin" >/dev/null 2>&1
    instructions "$out/ins.$n" >"$out/ins.$n.txt"
  done
  # events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
  paste <(grep '^summary:' "$out/sim.1000" | tr ' ' '\n' | tail -n +2) \
    <(grep '^summary:' "$out/sim.2000" | tr ' ' '\n' | tail -n +2) \
    | awk -v s="$side" '{ d[NR] = ($2 - $1) / 1000 }
        END { printf "%-27s %6.1fk instructions, L1 misses %4.0f code %4.0f data, mispredicted %4.0f conditional %4.0f indirect\n",
              s, d[1] / 1000, d[4], d[5] + d[6], d[11], d[13] }'
  awk 'function hex(t,   i, n) { sub(/^0x/, "", t); n = 0
                                  for (i = 1; i <= length(t); i++)
                                    n = n * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1
                                  return n }
       FNR == 1 { f++ }
       f == 1 { lk[$1 " " hex($2)] = 1; next }
       f == 2 { a[$1 " " $2] = $3; next }
       { d = $3 - a[$1 " " $2]
         at = hex($2)
         if (($1 " " at) in lk) locks += d
         if (d >= 1000) line[$1 " " int(at / 64)] = 1 }
       END { n = 0; for (l in line) n++
             printf "%-27s %6.0f locked read-modify-writes, %d code lines of 64 bytes run every call (%d KB)\n",
                    "", locks / 1000, n, n * 64 / 1024 }' \
    "$out/locked" "$out/ins.1000.txt" "$out/ins.2000.txt"
  if [ "${PAYGEN_IPC_FUNCTIONS:-0}" -gt 0 ]; then
    in_functions "$out/ins.1000" >"$out/fn.1000.txt"
    in_functions "$out/ins.2000" >"$out/fn.2000.txt"
    awk -F'\t' 'function hex(t,   i, n) { sub(/^[BL-] 0x/, "", t); n = 0
                                  for (i = 1; i <= length(t); i++)
                                    n = n * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1
                                  return n }
         FNR == 1 { f++ }
         f == 1 { a[$1 "\t" $2] = $3; next }
         { d = $3 - a[$1 "\t" $2]
           if (d < 1000) next
           l = substr($1, 1, 1) " " int(hex($1) / 64)
           if (!(l in seen)) { seen[l] = 1; lines[$2]++ }
           ins[$2] += d }
         END { for (f in lines) printf "%6d lines %7.0f instructions  %s\n", lines[f], ins[f] / 1000, f }' \
      "$out/fn.1000.txt" "$out/fn.2000.txt" | sort -rn | head -n "$PAYGEN_IPC_FUNCTIONS"
  fi
done
