#!/usr/bin/env bash
# Makes screenshots/*.png: portgrid in a real xterm under Xvfb, driven through tmux, scanning
# loopback addresses 127.0.0.1-6 inside a network namespace this script creates (its own lo, its
# own nftables rules; nothing can leave it). Captured with ImageMagick's `import`.
#   sudo screenshots/make-screenshots.sh            # builds release portgrid if needed
#   PORTGRID_BINARY=/path/to/portgrid screenshots/make-screenshots.sh
# Needs root (ip netns, nft) and: Xvfb xterm imagemagick tmux iproute2 nftables python3 x11-utils
#   apt-get install -y xvfb xterm imagemagick fonts-dejavu-core tmux iproute2 nftables x11-utils
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
for tool in Xvfb xterm import tmux ip nft python3 xwininfo; do
    command -v "$tool" >/dev/null || { echo "make-screenshots: $tool is missing (see the header of $0)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "make-screenshots: needs root for ip netns and nft" >&2; exit 1; }

bin=${PORTGRID_BINARY:-}
if [ -z "$bin" ]; then
    (cd "$repo" && swift build -c release --product portgrid >&2)
    bin="$(cd "$repo" && swift build -c release --show-bin-path)/portgrid"
fi
[ -x "$bin" ] || { echo "make-screenshots: no portgrid binary at $bin" >&2; exit 1; }

ns="pgshot-$$"
display=":$((90 + $$ % 9))"
sock="pgshot-$$"
work=$(mktemp -d)
pids=()

cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    # Newest first: xterm before the X server it draws on.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if ip netns list | grep -qw "$ns"; then
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
        ip netns del "$ns"
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The testbed: a namespace with only a loopback interface, listeners on 127.0.0.1-5 (and greeting services on .6 for -sV), a block of
# dropped ports (filtered) on .3 and administratively rejected ones on .4.
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<'NFT'
table inet pgshot {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr 127.0.0.3 tcp dport 9000-9199 drop
        ip daddr 127.0.0.4 tcp dport 7000-7063 reject with icmp type admin-prohibited
    }
}
NFT
cat > "$work/listen.py" <<'PY'
import socket, time
hosts = {1: [22, 80, 443, 8080], 2: [25, 110, 143, 587, 993, 995], 3: [3306, 5432, 6379],
         4: [53, 8443, 9090], 5: [21, 3000, 5900]}
held = []
for last, ports in hosts.items():
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((f"127.0.0.{last}", port))
        s.listen(64)
        held.append(s)
time.sleep(300)  # bounded: the script kills it sooner
PY
ip netns exec "$ns" python3 "$work/listen.py" &
pids+=($!)
# Services for -sV on 127.0.0.6: greetings an SSH, an FTP and an SMTP daemon send, and a hostile one
# whose greeting is terminal escapes (the port detail shows it escaped).
cat > "$work/banners.py" <<'PY'
import socket, threading, time
banners = {22: b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", 21: b"220 (vsFTPd 3.0.3)\r\n",
           25: b"220 mail.example ESMTP Postfix (Debian/GNU)\r\n", 2323: b"\x1b[2J\x1b[H\x1b[31mPWNED\x00\x9b\x07\r\n"}
def serve(port, banner):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.6", port)); s.listen(16)
    while True:
        c, _ = s.accept(); c.sendall(banner); time.sleep(0.2); c.close()
for port, banner in banners.items():
    threading.Thread(target=serve, args=(port, banner), daemon=True).start()
time.sleep(300)  # bounded: the script kills it sooner
PY
ip netns exec "$ns" python3 "$work/banners.py" &
pids+=($!)

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

cat > "$work/tmux.conf" <<'CONF'
set -g status off
set -g default-terminal "tmux-256color"
set -g escape-time 10
CONF
scan="ip netns exec $ns env LANG=C.UTF-8 $bin 127.0.0.1-5 -Pn -p 1-10000 -sT -T4 --max-rate 4000"

# One xterm (and one tmux session "shot") at a time, of the given size in cells; $3 the command
# (default: the scan of 127.0.0.1-5).
start_term() {
    local cols=$1 rows=$2 command=${3:-$scan}
    tmux -L "$sock" kill-session -t shot 2>/dev/null || true
    DISPLAY="$display" LANG=C.UTF-8 xterm -T pgshot -geometry "${cols}x${rows}+0+0" -fa "DejaVu Sans Mono" -fs 11 \
        -bg "#1d1f21" -fg "#d0d0d0" -u8 -e tmux -L "$sock" -f "$work/tmux.conf" new-session -s shot "$command; sleep 300" 2>/dev/null &
    pids+=($!)
    term_pid=$!
    wait_for 'portgrid'
}
stop_term() {
    tmux -L "$sock" kill-session -t shot 2>/dev/null || true
    kill "$term_pid" 2>/dev/null || true
    wait "$term_pid" 2>/dev/null || true
}

screen() { tmux -L "$sock" capture-pane -p -t shot 2>/dev/null || true; }
# Polls the screen (never a fixed sleep) until the extended regex matches, or gives up.
wait_for() {
    local pattern=$1 tries=${2:-300}
    for _ in $(seq "$tries"); do
        screen | grep -Eq -- "$pattern" && return 0
        sleep 0.1
    done
    echo "make-screenshots: timed out waiting for /$pattern/; the screen was:" >&2
    screen >&2
    exit 1
}
keys() { tmux -L "$sock" send-keys -t shot "$@"; }
shoot() {
    sleep 0.2 # let the newest frame reach the X server
    local id
    id=$(xwininfo -display "$display" -name pgshot | awk '/Window id/ {print $4}')
    import -display "$display" -window "$id" "$here/$1"
    echo "wrote screenshots/$1"
}

# 80x24, a quarter in: pending and partly-scanned cells, the panels one key (L) away.
start_term 80 24
wait_for '^running .* (2[5-9]|3[0-9]|4[0-9])%'
shoot midscan-80x24.png
stop_term

# 120x40: the open ports and the log show beside the grid without a key.
start_term 120 40
wait_for '^running .* (2[5-9]|3[0-9]|4[0-9])%'
shoot grid-midscan.png

keys BTab j
wait_for '^done'
shoot hosts.png

keys Enter
wait_for 'Host 127\.0\.0\.2'
shoot host-detail.png

keys Escape Tab v
wait_for '/tcp +open'
shoot open-ports.png

keys v '?'
wait_for 'portgrid keys'
shoot help.png

keys Escape q
stop_term

# -sV live: versions beside the open ports, then Enter on the hostile port: its greeting escaped.
start_term 120 40 "ip netns exec $ns env LANG=C.UTF-8 $bin 127.0.0.6 -Pn -n -sT -sV --version-light -p 21,22,25,2323,1-1000"
wait_for '-sV 4 known'
keys v
wait_for 'VERSION'
shoot versions.png
keys Down Down Down Enter
wait_for 'PWNED'
shoot port-detail.png
keys Escape q
stop_term

# portgrid view --watch on two shards of one scan, the second not written yet.
ip netns exec "$ns" "$bin" 127.0.0.1-5 -Pn -n -p 1-10000 -sT -T4 --seed 5 --shard 1/2 --no-tui -oJ "$work/shard-1.json" >/dev/null
start_term 120 40 "env LANG=C.UTF-8 $bin view --watch 1 $work/shard-1.json $work/shard-2.json"
wait_for 'missing 2/2'
keys s
wait_for 'read-only view'
shoot view-shards.png
keys q
stop_term
