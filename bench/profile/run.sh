#!/usr/bin/env bash
# The gateway's CPU per payout under steady load, and optionally a perf profile of it, on loopback.
# Starts its own redis-server, the lean ycb stub of ../shared/perf and a Release gateway (the same
# settings as ../shared/perf/run.sh), warms up, then drives POST /v1/payouts with wrk.
#   bench/profile/run.sh [--seconds N] [--warmup N] [--perf]
# Prints rps, p50/p99, the gateway process's CPU ms per payout (utime+stime from /proc), and with
# --perf a perf.data (perf record -g, perf maps on) and a per-assembly table of where the CPU went.
# Needs wrk, redis-server, curl, python3 (and linux-perf for --perf). Loopback only; every loop is bounded.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
perfdir="$root/../shared/perf"
seconds=15 warmup=25 record=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --perf) record=1; shift ;;
    *) echo "usage: bench/profile/run.sh [--seconds N] [--warmup N] [--perf]"; exit 2 ;;
  esac
done
for t in wrk redis-server curl python3; do command -v "$t" >/dev/null || { echo "missing: $t"; exit 2; }; done
work="$(mktemp -d /tmp/gateway-profile-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not ready: $1"; return 1; }

cp -r "$perfdir/stub" "$work/stub-src" && rm -rf "$work/stub-src/bin" "$work/stub-src/obj"
(cd "$work/stub-src" && dotnet build -c Release -o "$work/stub" >"$work/build-stub.log" 2>&1) || { echo "stub build failed"; exit 2; }
dotnet build "$root/src/Gateway/Gateway.csproj" -c Release -o "$work/gateway" >"$work/build-gateway.log" 2>&1 || { echo "gateway build failed"; exit 2; }

secret="profile-$RANDOM$RANDOM"; key="profile-key-$RANDOM$RANDOM-0123456789"
rport=$(port); sport=$(port); gport=$(port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)
YCB_SECRET="$secret" ASPNETCORE_URLS="http://127.0.0.1:$sport" dotnet "$work/stub/Stub.dll" >"$work/stub.log" 2>&1 & pids+=($!)
env -u ASPNETCORE_ENVIRONMENT ASPNETCORE_URLS="http://127.0.0.1:$gport" ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Redis="127.0.0.1:$rport" Auth__ApiKeys__perf="$key" \
  Partners__ycb__BaseUrl="http://127.0.0.1:$sport" Partners__ycb__AppId=perf Partners__ycb__AppSecret="$secret" \
  Routing__Order=ycb Serilog__MinimumLevel__Default=Warning Logging__LogLevel__Default=Warning \
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  dotnet "$work/gateway/Gateway.dll" >"$work/gateway.log" 2>&1 & gw=$!; pids+=($gw)
wait_http "http://127.0.0.1:$sport/api/v2/health" && wait_http "http://127.0.0.1:$gport/health/ready" || { tail -20 "$work/gateway.log"; exit 2; }

export PERF_PAYOUT='{"loanId":"LN-2026-000123","amount":"5000.00","currency":"CNY","beneficiary":{"name":"张三","accountNumber":"6222020200112233445","bankCode":"ICBC"},"partner":"ycb"}'
export PERF_KEY="$key" PERF_DELAY_MS=0 PERF_RUN="w$RANDOM"
wrk -t2 -c32 -d"${warmup}s" -s "$perfdir/payouts.lua" "http://127.0.0.1:$gport" >/dev/null
export PERF_RUN="m$RANDOM"
if [ -n "$record" ]; then
  (sleep 2; perf record -F 999 -g -p "$gw" -o "$work/perf.data" -- sleep $((seconds - 4)) >"$work/perf.log" 2>&1) &
  recorder=$!
fi
redis_pid=${pids[0]}; stub_pid=${pids[1]}
c0=$(awk '{print $14+$15}' "/proc/$gw/stat"); r0=$(awk '{print $14+$15}' "/proc/$redis_pid/stat"); s0=$(awk '{print $14+$15}' "/proc/$stub_pid/stat")
wrk -t2 -c32 -d"${seconds}s" --latency -s "$perfdir/payouts.lua" "http://127.0.0.1:$gport" >"$work/wrk.txt"
c1=$(awk '{print $14+$15}' "/proc/$gw/stat"); r1=$(awk '{print $14+$15}' "/proc/$redis_pid/stat"); s1=$(awk '{print $14+$15}' "/proc/$stub_pid/stat")
ticks=$(getconf CLK_TCK)
grep -E 'Requests/sec|  50%|  99%|Non-2xx' "$work/wrk.txt"
requests=$(grep -oP '\d+(?= requests in)' "$work/wrk.txt")
python3 -c "print(f'gateway CPU per payout: {($c1-$c0)*1000/$ticks/$requests:.3f} ms ({$requests} payouts); redis-server {($r1-$r0)*1000/$ticks/$requests:.3f} ms; stub {($s1-$s0)*1000/$ticks/$requests:.3f} ms')"
if [ -n "$record" ]; then
  wait "$recorder"
  perf script -i "$work/perf.data" 2>/dev/null >"$work/perf.txt"
  python3 "$(dirname "$0")/by_assembly.py" "$work/perf.txt"
fi
echo "work folder: $work"
