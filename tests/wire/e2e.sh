#!/usr/bin/env bash
# End-to-end run: exchange_replay_server on a free loopback port (--max-speed), live_market_maker
# against it until the stream has been quiet for 1 s on an open connection with every book live
# (the capture ended; at most 30 s, so a loaded machine is slower, not wrong), then every pattern
# of a ';'-separated list must be in its --json.
# usage: e2e.sh SERVER CLIENT WORKDIR CAPTURE "EXCHANGE SYMBOLS" "SERVER FLAGS" "PATTERNS" ["CLIENT FLAGS"]
set -u
server=$1 client=$2 work=$3 capture=$4 target=$5 faults=$6 patterns=$7 extra=${8:-}
read -r exchange symbols <<<"$target"
mkdir -p "$work"
rm -f "$work/out.json" "$work/server.out"
# shellcheck disable=SC2086
"$server" "$capture" --port 0 --max-speed $faults >"$work/server.out" 2>"$work/server.err" &
spid=$!
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null' EXIT
for _ in $(seq 1 200); do
  [ -s "$work/server.out" ] && break
  kill -0 $spid 2>/dev/null || { echo "server exited:"; cat "$work/server.err"; exit 1; }
  sleep 0.05
done
first=$(head -n 1 "$work/server.out")
if [[ ! "$first" =~ ^listening\ ws://127\.0\.0\.1:([0-9]+)$ ]]; then
  echo "unexpected first server line: '$first'"; exit 1
fi
port=${BASH_REMATCH[1]}
# shellcheck disable=SC2086
"$client" --exchange "$exchange" --symbol "$symbols" --endpoint "ws://127.0.0.1:$port" --rest "http://127.0.0.1:$port" \
  --duration 30 --idle-exit 1000 --json "$work/out.json" $extra >"$work/client.out" 2>"$work/client.err"
rc=$?
tail -n 1 "$work/client.out"
if [ $rc -ne 0 ]; then echo "live_market_maker exit $rc:"; cat "$work/client.err"; exit 1; fi
fail=0
IFS=';' read -ra pats <<<"$patterns"
for p in "${pats[@]}"; do
  if ! grep -Eq "$p" "$work/out.json"; then echo "missing in JSON: $p"; fail=1; fi
done
if [ $fail -ne 0 ]; then cat "$work/out.json"; exit 1; fi
echo "ok"
