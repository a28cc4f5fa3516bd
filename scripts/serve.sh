#!/usr/bin/env bash
# Serve the assistant on every core: N `streamlit run` processes on loopback behind Debian's nginx.
#
#   scripts/serve.sh --replicas 2 --port 8501        # then open http://127.0.0.1:8501
#   scripts/serve.sh [--replicas N] [--port P] [--address ADDR] [--app app.py] [--pid-file FILE]
#
# One Streamlit process runs its scripts on one core, so a 2-core machine needs 2 processes.
# Replica i listens on 127.0.0.1:P+i; nginx listens on ADDR:P (default 127.0.0.1, like
# .streamlit/config.toml) and is the only thing visitors reach. Ctrl+C or SIGTERM stops nginx and
# every replica; if any of them exits, the others are stopped too. nginx runs in the foreground
# with its own config, pid and temporary files in a temporary folder (never /etc/nginx), and it
# is installed from Debian when missing.
#
# Shared by every replica, so the site behaves as one:
# - the knowledge folder (ASSISTANT_KNOWLEDGE_DIR, default knowledge/): each process checks the
#   files' stamps (and, when they changed, their fingerprint) when a question comes, so a staff
#   save made through any replica is served by all of them from their next question;
# - the store (ASSISTANT_DB, default data/assistant.db): SQLite in WAL mode with a busy timeout is
#   safe for several processes on one machine's local disk (tests/test_store_processes.py); not
#   on a network filesystem.
#
# Sticky sessions, and why this way. A visitor's conversation lives in the process that holds
# their websocket (/_stcore/stream), so what matters is that a websocket and the HTTP requests
# tied to its session reach the same process:
# - a websocket stays on the upstream it was opened to for its whole life (nginx proxies one
#   connection to one upstream connection), so balancing each new connection is safe;
# - but a session's later HTTP requests (the staff page's CSV download is served from the memory
#   of the process that ran the script) and a websocket that reconnects after a network blip (it
#   asks to resume its session by id) must come back to the same process.
# So the first response nginx sends a browser sets a cookie naming the replica that served it,
# and every request carrying the cookie goes to that replica (or, if it is down, to another).
# Requests without the cookie (a new visitor) go to the replica with the fewest open connections
# (least_conn). Open websockets are the connections, so new visitors spread over the replicas by
# their live sessions. ip_hash would do neither: every visitor behind one address (an office, a
# mobile carrier, the load bench) would land on one replica. The cookie holds a replica number
# only. Access logs are off: nothing identifying a visitor is stored.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

REPLICAS=$(nproc 2>/dev/null || echo 2)
PORT=8501
ADDRESS=127.0.0.1
APP=app.py
PID_FILE=""
PYTHON=${PYTHON:-python}

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --address) ADDRESS=${2:?}; shift 2 ;;
    --app) APP=${2:?}; shift 2 ;;
    --pid-file) PID_FILE=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "serve.sh: unknown option $1" >&2; usage ;;
  esac
done
case "$REPLICAS" in ''|*[!0-9]*) echo "serve.sh: --replicas must be a number, got $REPLICAS" >&2; exit 2 ;; esac
case "$PORT" in ''|*[!0-9]*) echo "serve.sh: --port must be a number, got $PORT" >&2; exit 2 ;; esac
if [ "$REPLICAS" -lt 1 ] || [ $((PORT + REPLICAS)) -gt 65535 ]; then
  echo "serve.sh: need --replicas >= 1 and ports $PORT..$((PORT + REPLICAS)) to exist" >&2; exit 2
fi
[ -f "$APP" ] || { echo "serve.sh: no app file $APP" >&2; exit 2; }

# Every replica must see the same folder and database whatever its working directory.
export ASSISTANT_DB
ASSISTANT_DB=$(realpath -m "${ASSISTANT_DB:-data/assistant.db}")
export ASSISTANT_KNOWLEDGE_DIR
ASSISTANT_KNOWLEDGE_DIR=$(realpath -m "${ASSISTANT_KNOWLEDGE_DIR:-knowledge}")

# One cookie secret for all replicas, so a browser failed over to another replica (see below)
# still carries a valid XSRF cookie. Random per start unless given.
export STREAMLIT_SERVER_COOKIE_SECRET
STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
  echo "serve.sh: nginx is missing; installing Debian's nginx:" \
       "apt-get install -y --no-install-recommends nginx" >&2
  $SUDO apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx >&2
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

# Two descriptors per visitor (theirs and the replica's), within what this shell may open.
FILES=$(ulimit -Hn)
case "$FILES" in unlimited|''|*[!0-9]*) FILES=65536 ;; esac
CONNECTIONS=$((FILES / 2 > 16384 ? 16384 : FILES / 2))

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/serve.XXXXXX")
chmod 711 "$RUN_DIR"  # nginx's workers (an unprivileged user when started as root) reach temp/
REPLICA_PIDS=()
NGINX_PID=""

stop_all() {
  # Once stopping, a second Ctrl+C or SIGTERM must not cut the cleanup short.
  trap '' INT TERM
  trap - EXIT
  local pid waited=0
  [ -n "$NGINX_PID" ] && kill -TERM "$NGINX_PID" 2>/dev/null || true
  for pid in "${REPLICA_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $NGINX_PID "${REPLICA_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  [ -n "$PID_FILE" ] && rm -f "$PID_FILE"
  rm -rf "$RUN_DIR"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# Wait until every URL given answers /_stcore/health (60 s at most).
wait_healthy() {
  "$PYTHON" - "$@" <<'EOF'
import sys, time, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
deadline = time.monotonic() + 60
for url in sys.argv[1:]:
    while True:
        try:
            with opener.open(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"serve.sh: {url} did not answer within 60 s")
        time.sleep(0.2)
EOF
}

upstreams=""
for i in $(seq 1 "$REPLICAS"); do
  port=$((PORT + i))
  # Each replica's log goes to this script's output, each line marked with the replica number.
  # The marker ignores Ctrl+C and SIGTERM and ends when the replica does, so a replica never
  # writes into a closed pipe while it shuts down.
  "$PYTHON" -m streamlit run "$APP" --server.port "$port" --server.address 127.0.0.1 \
    --server.headless true > >(trap '' INT TERM; exec sed -u "s/^/[replica $i] /") 2>&1 &
  REPLICA_PIDS+=($!)
  upstreams+="        server 127.0.0.1:$port;"$'\n'
done

{
  cat <<EOF
# Written by scripts/serve.sh; removed when it stops.
worker_processes 1;
worker_rlimit_nofile $FILES;
pid $RUN_DIR/nginx.pid;
error_log stderr warn;
daemon off;
events { worker_connections $CONNECTIONS; }
http {
    access_log off;
    client_body_temp_path $RUN_DIR/temp/body;
    proxy_temp_path $RUN_DIR/temp/proxy;
    fastcgi_temp_path $RUN_DIR/temp/fastcgi;
    uwsgi_temp_path $RUN_DIR/temp/uwsgi;
    scgi_temp_path $RUN_DIR/temp/scgi;
    server_tokens off;

    map \$http_upgrade \$connection_upgrade { default upgrade; "" ""; }

    # New visitors: the replica with the fewest open connections (websockets).
    upstream any_replica {
        least_conn;
$upstreams    }
EOF
  for i in $(seq 1 "$REPLICAS"); do
    echo "    upstream replica_$i {"
    echo "        server 127.0.0.1:$((PORT + i));"
    for j in $(seq 1 "$REPLICAS"); do
      [ "$j" = "$i" ] || echo "        server 127.0.0.1:$((PORT + j)) backup;"
    done
    echo "    }"
  done
  echo "    map \$cookie_assistant_replica \$replica_pool {"
  echo "        default any_replica;"
  for i in $(seq 1 "$REPLICAS"); do echo "        $i replica_$i;"; done
  echo "    }"
  echo "    map \$upstream_addr \$replica_cookie {"
  echo "        default \"\";"
  for i in $(seq 1 "$REPLICAS"); do
    echo "        127.0.0.1:$((PORT + i)) \"assistant_replica=$i; Path=/; HttpOnly; SameSite=Lax\";"
  done
  echo "    }"
  cat <<EOF

    server {
        listen $ADDRESS:$PORT;
        location / {
            proxy_pass http://\$replica_pool;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header Host \$http_host;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            client_max_body_size 20m;
            add_header Set-Cookie \$replica_cookie;
        }
    }
}
EOF
} > "$RUN_DIR/nginx.conf"
mkdir -p "$RUN_DIR/temp"

replica_urls=()
for i in $(seq 1 "$REPLICAS"); do replica_urls+=("http://127.0.0.1:$((PORT + i))"); done
wait_healthy "${replica_urls[@]}"

"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e stderr
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e stderr &
NGINX_PID=$!
wait_healthy "http://$ADDRESS:$PORT"

if [ -n "$PID_FILE" ]; then
  printf '%s\n' "$NGINX_PID" "${REPLICA_PIDS[@]}" > "$PID_FILE.tmp"
  mv "$PID_FILE.tmp" "$PID_FILE"
fi
echo "serve.sh: http://$ADDRESS:$PORT -> $REPLICAS replicas on 127.0.0.1:$((PORT + 1))..$((PORT + REPLICAS))" \
     "(knowledge $ASSISTANT_KNOWLEDGE_DIR, store $ASSISTANT_DB); Ctrl+C stops them all"

# Stay in the foreground until a signal comes or one of the processes ends.
while true; do
  for pid in $NGINX_PID "${REPLICA_PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve.sh: process $pid exited; stopping the others" >&2
      exit 1
    fi
  done
  sleep 1 & wait $! || true
done
