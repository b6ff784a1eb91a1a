#!/usr/bin/env bash
# Restart time with 1,000 partitions (127.0.0.1 only): write data, kill -9 and restart (recovery),
# stop cleanly and restart; time to first answered ApiVersions and to first fetch, Kafka and Fjord.
#   bench/restart-time.sh --smoke      # 1,000 partitions, 20 MB: proves the script, writes the smoke section
#   bench/restart-time.sh              # 1,000 partitions, 3,000 MB
#   bench/restart-time.sh --partitions 10000 --data-mb 5000 --brokers fjord
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
case " $* " in *" --help "*) ;; *) bench_prepare ;; esac
bench_run io.fjord.bench.RestartTime "$@"
