#!/usr/bin/env bash
# Side-by-side benchmark of Apache Kafka 4.1.2 and Fjord on this machine (127.0.0.1 only).
#   bench/compare.sh --smoke            # about a minute: proves the harness, writes the smoke section
#   bench/compare.sh                    # full run (about 45 min on 2 cores), writes docs/benchmarks.md
#   bench/compare.sh --help             # every option
# See bench/README.md for what is measured and how.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
case " $* " in *" --help "*) ;; *) bench_prepare ;; esac
bench_run io.fjord.bench.Compare "$@"
