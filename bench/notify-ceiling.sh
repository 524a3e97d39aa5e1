#!/usr/bin/env bash
# Where NOTIFY becomes the limit, measured alone with pgbench (docs/performance.md, "Server on PostgreSQL"):
# transactions/s of commits without NOTIFY, with one pg_notify (one commit per message), and with 100
# (a group-commit batch), 8 clients, 10 s each, 3 repetitions, while one connection LISTENs. Loopback only,
# bounded (each pgbench run stops after 10 s; the listener after 150 s).
# Usage: bench/notify-ceiling.sh [postgres-url]   (default: the URL .ci/install-postgres wrote)
set -euo pipefail
URL=${1:-$(cat /tmp/twt-ci-pg-url)}
PGBENCH=$(ls -d /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)
[ -x "$PGBENCH" ] || { echo "notify-ceiling: pgbench not found (Debian's postgresql package has it)"; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"; kill $LISTENER 2>/dev/null || true' EXIT
# The payload of a message event as the server sends it (about 220 bytes), made unique per transaction and per
# statement: PostgreSQL folds identical notifications of one transaction into one.
PAYLOAD='{"kind":"message","conversationId":"c_0123456789abcdef","messageId":"m_0123456789abcdef","seq":1,"appid":"demo","row":{"id":"m_0123456789abcdef","text":"bench 1-2 12345.678","author":"visitor"}}'
printf '\\set i random(1, 1000000000)\nBEGIN;\nSELECT %s || :i;\nCOMMIT;\n' "'$PAYLOAD'" > "$DIR/no-notify.sql"
printf '\\set i random(1, 1000000000)\nBEGIN;\nSELECT pg_notify(%s, %s || :i);\nCOMMIT;\n' "'bench_events'" "'$PAYLOAD'" > "$DIR/one-notify.sql"
{ printf '\\set i random(1, 1000000000)\nBEGIN;\n'; for k in $(seq 1 100); do printf "SELECT pg_notify('bench_events', %s || :i || '-%d');\n" "'$PAYLOAD'" "$k"; done; printf 'COMMIT;\n'; } > "$DIR/batch-of-100.sql"
psql "$URL" -qc "LISTEN bench_events; SELECT pg_sleep(150)" >/dev/null 2>&1 &
LISTENER=$!
sleep 1
for rep in 1 2 3; do
  for f in no-notify one-notify batch-of-100; do
    tps=$(timeout 30 "$PGBENCH" -n -c 8 -j 2 -T 10 -f "$DIR/$f.sql" "$URL" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    echo "$f: ${tps:-failed} transactions/s (run $rep; load average $(cut -d' ' -f1 /proc/loadavg))"
  done
done
