#!/usr/bin/env bash
# Issue 16's benchmark: service and version detection of real daemons (nginx on 80 and self-signed HTTPS on
# 443, OpenSSH 22, vsftpd 21, dnsmasq 53, Redis 6379) in the namespace testbed, `portgrid -sT -sV -T4` beside
# `nmap -sT -sV -T4` on the same ports in the same run. Prints both wall times, the ratio (target: portgrid
# >= 3x faster) and both answers per port (service | product | version), which must agree.
# Needs root, iproute2, python3, nmap, and the daemons (apt-get install nginx openssh-server redis-server
# vsftpd dnsmasq-base openssl). PORTGRID_BIN uses a given binary instead of building the release one.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require
for tool in nginx sshd redis-server vsftpd dnsmasq openssl ssh-keygen; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || tb_die "needs '$tool'"
done
binary=${PORTGRID_BIN:-$(tb_build_release)}
tb_up

ports=21,22,53,80,443,6379
addr=$TB_TARGET_ADDR
work=$TB_WORK
mkdir -p "$work/empty" /run/sshd
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$work/tls.key" -out "$work/tls.crt" \
    -subj "/CN=testbed.test/O=portgrid" -addext "subjectAltName=DNS:testbed.test,IP:$addr" 2>/dev/null
ssh-keygen -q -t ed25519 -N "" -f "$work/ssh_host_ed25519_key"
echo '<html><head><title>portgrid testbed</title></head><body>hello</body></html>' >"$work/index.html"
cat >"$work/nginx.conf" <<NGINX
daemon off; user root; worker_processes 1; pid $work/nginx.pid;
events { worker_connections 256; }
http { access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen $addr:80; root $work; }
  server { listen $addr:443 ssl; root $work; ssl_certificate $work/tls.crt; ssl_certificate_key $work/tls.key; } }
NGINX
printf 'listen=YES\nlisten_ipv6=NO\nlisten_address=%s\nbackground=NO\nanonymous_enable=NO\nlocal_enable=NO\nseccomp_sandbox=NO\nsecure_chroot_dir=%s/empty\nxferlog_enable=NO\n' \
    "$addr" "$work" >"$work/vsftpd.conf"

# Started in the target namespace; tb_down ends every process in it on exit.
in_target() { ip netns exec "$TB_TGT" "$@" </dev/null >/dev/null 2>&1 & }
in_target nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"
in_target /usr/sbin/sshd -D -e -f /dev/null -h "$work/ssh_host_ed25519_key" -o "ListenAddress=$addr:22" \
    -o "PidFile=$work/sshd.pid" -o UsePAM=no
in_target redis-server --bind "$addr" --port 6379 --save "" --appendonly no --dir "$work" --protected-mode no --daemonize no
in_target vsftpd "$work/vsftpd.conf"
in_target dnsmasq -k -C /dev/null "--listen-address=$addr" --bind-interfaces --port=53 --no-resolv --no-hosts -u root \
    "--pid-file=$work/dnsmasq.pid"
for _ in $(seq 100); do
    listening=$(ip netns exec "$TB_TGT" ss -Hltn)
    missing=0
    for p in ${ports//,/ }; do grep -q ":$p " <<<"$listening" || missing=1; done
    [ "$missing" -eq 0 ] && break
    sleep 0.1
done
[ "$missing" -eq 0 ] || tb_die "daemons did not come up"

tb_time ours tb_scan "$binary" -sT -Pn -n -sV -T4 -p "$ports" --no-tui -oX "$work/portgrid.xml" "$addr" >/dev/null
tb_time theirs tb_scan nmap -sT -Pn -n -sV -T4 -p "$ports" -oX "$work/nmap.xml" "$addr" >/dev/null

python3 - "$work/portgrid.xml" "$work/nmap.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
def read(path):
    found = {}
    for port in ET.parse(path).getroot().iter("port"):
        s = port.find("service")
        name = None if s is None else (("ssl/" if s.get("tunnel") == "ssl" else "") + s.get("name"))
        found[int(port.get("portid"))] = (name, None if s is None else s.get("product"), None if s is None else s.get("version"))
    return found
ours, theirs = read(sys.argv[1]), read(sys.argv[2])
same = True
for port in sorted(set(ours) | set(theirs)):
    a, b = ours.get(port), theirs.get(port)
    same &= a == b
    print(f"{port:>5}  portgrid {' | '.join(x or '-' for x in a or ())}\n       nmap     {' | '.join(x or '-' for x in b or ())}")
print("answers:", "identical" if same else "DIFFERENT")
PY
echo "portgrid -sV -T4: ${ours}s (peak RSS ${ours_mb} MB)   nmap -sV -T4: ${theirs}s (peak RSS ${theirs_mb} MB)   portgrid is $(tb_ratio "$ours" "$theirs")x faster"
