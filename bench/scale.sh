#!/usr/bin/env bash
# Issue 5's scale cases, Apache Kafka 4.1.2 then Fjord on this machine (127.0.0.1 only), each case
# from an empty data dir: 10,000 partitions (create, write, clean restart), 1,000 partitions vs 6
# (producer and consumer throughput, CPU per GB, produce p99), 5,000 mostly idle connections, a
# 20 GB log read cold and warm.
#   bench/scale.sh --smoke                 # small sizes: proves the driver, writes the 'scale-smoke' section
#   bench/scale.sh                         # full run, writes the 'scale-results' section of docs/benchmarks.md
#   bench/scale.sh --cases idle --brokers fjord --connections 10000
#   bench/scale.sh --help                  # every option
# See bench/README.md for what is measured and how.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
case " $* " in *" --help "*) ;; *) bench_prepare ;; esac
bench_run io.fjord.bench.Scale "$@"
