/// The probes used when nmap's database is not installed: a small set in nmap-service-probes syntax, read by
/// the same parser and matched by the same code, that names the common services of the seeds' list (SSH, FTP,
/// SMTP, HTTP with its Server header and title, TLS, DNS, POP3, IMAP, Redis, MySQL, PostgreSQL, RDP, telnet).
/// Product names follow nmap's spelling so reports agree whichever database was used.
public enum BuiltinProbes {
    public static let database: ProbeDatabase = ProbeFileParser.parse(text)

    public static let text = #"""
    # portgrid built-in service probes (nmap-service-probes syntax).
    Exclude T:9100-9107

    Probe TCP NULL q||
    totalwaitms 6000
    tcpwrappedms 3000
    match ssh m|^SSH-([\d.]+)-OpenSSH_([\w._-]+)[ -]{1,2}Debian[ -_]([^\r\n]+)\r?\n| p/OpenSSH/ v/$2 Debian $3/ i/protocol $1/ o/Linux/ cpe:/a:openbsd:openssh:$2/ cpe:/o:linux:linux_kernel/a
    match ssh m|^SSH-([\d.]+)-OpenSSH_([\w._-]+)[ -]{1,2}Ubuntu[ -_]([^\r\n]+)\r?\n| p/OpenSSH/ v/$2 Ubuntu $3/ i/Ubuntu Linux; protocol $1/ o/Linux/ cpe:/a:openbsd:openssh:$2/ cpe:/o:linux:linux_kernel/a
    match ssh m|^SSH-([\d.]+)-OpenSSH_([\w._-]+)\r?\n| p/OpenSSH/ v/$2/ i/protocol $1/ cpe:/a:openbsd:openssh:$2/
    match ssh m|^SSH-([\d.]+)-dropbear_([\w.]+)\r?\n| p/Dropbear sshd/ v/$2/ i/protocol $1/ cpe:/a:matt_johnston:dropbear_ssh_server:$2/
    softmatch ssh m|^SSH-([\d.]+)-([^\r\n]+)\r?\n| i/protocol $1/
    match ftp m|^220 \(vsFTPd ([-.\w]+)\)\r\n$| p/vsftpd/ v/$1/ o/Unix/ cpe:/a:vsftpd:vsftpd:$1/
    match ftp m|^220 ProFTPD ([\w._-]+) Server| p/ProFTPD/ v/$1/ cpe:/a:proftpd:proftpd:$1/
    match ftp m|^220[- ].*Pure-FTPd| p/Pure-FTPd/ cpe:/a:pureftpd:pure-ftpd/
    softmatch ftp m|^220[- ][^\r\n]*FTP|i
    match smtp m|^220 ([\w._-]+) ESMTP Postfix \(Debian/GNU\)| p/Postfix smtpd/ i/Debian/ o/Linux/ h/$1/ cpe:/a:postfix:postfix/a
    match smtp m|^(?:220-.*\r\n)?220 ([\w._-]+) ESMTP Postfix| p/Postfix smtpd/ h/$1/ cpe:/a:postfix:postfix/a
    match smtp m|^220 ([\w._-]+) ESMTP Exim (\d[\w._-]+)| p/Exim smtpd/ v/$2/ h/$1/ cpe:/a:exim:exim:$2/
    softmatch smtp m|^220[- ][^\r\n]*SMTP|i
    match pop3 m|^\+OK [Dd]ovecot ready\.\r\n| p/Dovecot pop3d/ cpe:/a:dovecot:dovecot/
    softmatch pop3 m|^\+OK [^\r\n]*\r\n|
    match imap m|^\* OK (?:\[[^\]]*\] )?Dovecot(?: \([^)]*\))? ready\.\r\n| p/Dovecot imapd/ cpe:/a:dovecot:dovecot/
    softmatch imap m|^\* OK [^\r\n]*IMAP|i
    match mysql m|^.\0\0\0\x0a(5\.[-_~.+:\w]+MariaDB-[-_~.+:\w]+)\0|s p/MySQL/ v/$1/ cpe:/a:mariadb:mariadb:$1/
    match mysql m|^.\0\0\0\x0a([3-8]\.[-_~.+\w]+)\0|s p/MySQL/ v/$1/ cpe:/a:mysql:mysql:$1/
    match mysql m|^.\0\0\0\x0a(1\d\.[-_~.+\w]+-MariaDB[-_~.+\w]*)\0|s p/MariaDB/ v/$1/ cpe:/a:mariadb:mariadb:$1/
    match telnet m|^\xff[\xfb-\xfe][\x01\x03\x18\x1f\x20\x21\x22\x24\x27]|s
    match redis m|-ERR operation not permitted\r\n|s p/Redis key-value store/ cpe:/a:redislabs:redis/

    Probe TCP GenericLines q|\r\n\r\n|
    rarity 1
    ports 21,23,25,110,143,587
    sslports 990,992,995

    Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
    rarity 1
    ports 80-85,88,8000,8008,8080,8081,8088,8888,9000
    sslports 443,4443,8443,9443
    match ssl/http m|^HTTP/1.1 400 Bad Request\r\n.*?Server: nginx/([\d.]+)[^\r\n]*?\r\n.*<title>400 The plain HTTP request was sent to HTTPS port</title>|s p/nginx/ v/$1/ cpe:/a:igor_sysoev:nginx:$1/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: nginx\r\n.*?<title>([^<]*)</title>|s p/nginx/ i/title: $1/ cpe:/a:igor_sysoev:nginx/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: nginx\r\n|s p/nginx/ cpe:/a:igor_sysoev:nginx/
    match http m|^HTTP/1\.[01] \d\d\d.*\r\nServer: nginx/([\d.]+)\r\n|s p/nginx/ v/$1/ cpe:/a:igor_sysoev:nginx:$1/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: Apache/([\d.]+) \(Debian\)\r\n|s p/Apache httpd/ v/$1/ i/(Debian)/ cpe:/a:apache:http_server:$1/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: Apache/([\d.]+)[^\r\n]*\r\n|s p/Apache httpd/ v/$1/ cpe:/a:apache:http_server:$1/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: lighttpd/([\d.]+)\r\n|s p/lighttpd/ v/$1/ cpe:/a:lighttpd:lighttpd:$1/
    match http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: SimpleHTTP/([\d.]+) Python/([\w.]+)\r\n|s p/SimpleHTTPServer/ v/$1/ i/Python $2/ cpe:/a:python:python:$2/
    softmatch http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: ([^\r\n/]+)/([^\r\n ]+)[^\r\n]*\r\n|s p/$1/ v/$2/
    softmatch http m|^HTTP/1\.[01] \d\d\d.*?\r\nServer: ([^\r\n]+)\r\n|s p/$1/
    softmatch http m|^HTTP/1\.[01] \d\d\d|
    match redis m|^-ERR wrong number of arguments for 'get' command\r\n$| p/Redis key-value store/

    Probe TCP TLSSessionReq q|\x16\x03\0\0\x69\x01\0\0\x65\x03\x03U\x1c\xa7\xe4random1random2random3random4\0\0\x0c\0/\0\x0a\0\x13\x009\0\x04\0\xff\x01\0\0\x30\0\x0d\0,\0*\0\x01\0\x03\0\x02\x06\x01\x06\x03\x06\x02\x02\x01\x02\x03\x02\x02\x03\x01\x03\x03\x03\x02\x04\x01\x04\x03\x04\x02\x01\x01\x01\x03\x01\x02\x05\x01\x05\x03\x05\x02|
    rarity 1
    ports 443,444,465,636,853,989,990,992,993,994,995,4433,4443,5061,6697,8443,8883,9443
    fallback GetRequest
    match ssl m|^\x16\x03[\x00-\x04]..\x02\0\0.\x03[\x00-\x04]|s
    match ssl m|^\x15\x03[\x00-\x04]\0\x02[\x01\x02].$|s

    Probe TCP redis-server q|*1\r\n$4\r\ninfo\r\n|
    rarity 8
    ports 6379
    match redis m|^\$\d+\r\n(?:#[^\r\n]*\r\n)*redis_version:([.\d]+)\r\n|s p/Redis key-value store/ v/$1/ cpe:/a:redislabs:redis:$1/
    match redis m|^-NOAUTH Authentication required| p/Redis key-value store/ cpe:/a:redislabs:redis/
    match redis m|-ERR operation not permitted\r\n|s p/Redis key-value store/ cpe:/a:redislabs:redis/

    Probe TCP DNSVersionBindReqTCP q|\0\x1E\0\x06\x01\0\0\x01\0\0\0\0\0\0\x07version\x04bind\0\0\x10\0\x03|
    rarity 3
    ports 53
    sslports 853
    match domain m|\x07version\x04bind\0\0\x10\0\x03\xc0\x0c\0\x10\0\x03.{7}dnsmasq-([-\w. +]+)$|s p/dnsmasq/ v/$1/ cpe:/a:thekelleys:dnsmasq:$1/
    match domain m|\x07version\x04bind\0\0\x10\0\x03\xc0\x0c\0\x10\0\x03.{7}(9\.[\w.-]+)|s p/ISC BIND/ v/$1/ cpe:/a:isc:bind:$1/
    match domain m|^..\0\x06\x8[0-7]|s

    Probe UDP DNSVersionBindReq q|\0\x06\x01\0\0\x01\0\0\0\0\0\0\x07version\x04bind\0\0\x10\0\x03|
    rarity 1
    ports 53
    match domain m|\x07version\x04bind\0\0\x10\0\x03\xc0\x0c\0\x10\0\x03.{7}dnsmasq-([-\w. +]+)$|s p/dnsmasq/ v/$1/ cpe:/a:thekelleys:dnsmasq:$1/
    match domain m|\x07version\x04bind\0\0\x10\0\x03\xc0\x0c\0\x10\0\x03.{7}(9\.[\w.-]+)|s p/ISC BIND/ v/$1/ cpe:/a:isc:bind:$1/
    match domain m|^\0\x06\x8[0-7]|s

    Probe TCP SMBProgNeg q|\0\0\0\xa4\xff\x53\x4d\x42\x72\0\0\0\0\x08\x01\x40\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x40\x06\0\0\x01\0\0\x81\0\x02PC NETWORK PROGRAM 1.0\0\x02MICROSOFT NETWORKS 1.03\0\x02MICROSOFT NETWORKS 3.0\0\x02LANMAN1.0\0\x02LM1.2X002\0\x02Samba\0\x02NT LANMAN 1.0\0\x02NT LM 0.12\0|
    rarity 4
    ports 5432
    match postgresql m=^E\0\0\0.S[^\0]+\0(?:V[^\0]+\0)?C0A000\0Munsupported frontend protocol 65363\.19778: server supports (?:2\.0|3\.0) to 3\.[0-9]+\0=s p/PostgreSQL DB/ cpe:/a:postgresql:postgresql/
    softmatch postgresql m=^E\0\0\0.S(?:FATAL|ERROR)\0=s

    Probe TCP TerminalServerCookie q|\x03\0\0*%\xe0\0\0\0\0\0Cookie: mstshash=nmap\r\n\x01\0\x08\0\x03\0\0\0|
    rarity 7
    ports 3388,3389
    match ms-wbt-server m|^\x03\0\0\x13\x0e\xd0\0\0\x124\0\x02[\x00-\x1f]\x08\0[\x00-\x0b]\0\0\0|s p/Microsoft Terminal Services/ o/Windows/ cpe:/o:microsoft:windows/a
    match ms-wbt-server m|^\x03\0\0\t\x02\xf0\x80!\x80| p/xrdp/ cpe:/a:jay_sorg:xrdp/
    softmatch ms-wbt-server m|^\x03\0\0[\x09-\x13][\x02-\x0e][\xd0\xf0]|s
    """#
}
