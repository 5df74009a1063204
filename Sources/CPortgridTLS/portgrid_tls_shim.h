// OpenSSL's libssl for -sV's TLS tunnels. Many of its calls are macros Swift cannot import
// (SSL_CTX_set_min_proto_version, sk_GENERAL_NAME_num, ...), and the certificate fields are easiest read
// in C: each use gets a small static inline helper that fills a caller's buffer.
#ifndef PORTGRID_TLS_SHIM_H
#define PORTGRID_TLS_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>
#include <string.h>
#include <time.h>

/// A client context that accepts any certificate and any protocol version: detection must see old
/// and self-signed services, and verifies nothing.
static inline SSL_CTX *pg_tls_context_new(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, 0);
    SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
    return ctx;
}

static inline SSL *pg_tls_new(SSL_CTX *ctx, int fd) {
    SSL *ssl = SSL_new(ctx);
    if (!ssl) return NULL;
    if (SSL_set_fd(ssl, fd) != 1) { SSL_free(ssl); return NULL; }
    SSL_set_connect_state(ssl);
    return ssl;
}

static inline int pg_tls_want_read(void) { return SSL_ERROR_WANT_READ; }
static inline int pg_tls_want_write(void) { return SSL_ERROR_WANT_WRITE; }
static inline int pg_tls_error_zero_return(void) { return SSL_ERROR_ZERO_RETURN; }
static inline void pg_tls_clear_errors(void) { ERR_clear_error(); }

static inline X509 *pg_tls_peer_certificate(SSL *ssl) { return SSL_get1_peer_certificate(ssl); }

/// Subject (which != 0: issuer) in RFC 2253 form, e.g. "CN=localhost,O=Test". Returns bytes written.
static inline int pg_tls_name(X509 *cert, int issuer, char *buffer, int size) {
    X509_NAME *name = issuer ? X509_get_issuer_name(cert) : X509_get_subject_name(cert);
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio || !name || size < 1) { if (bio) BIO_free(bio); return 0; }
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int length = BIO_read(bio, buffer, size - 1);
    BIO_free(bio);
    if (length < 0) length = 0;
    buffer[length] = 0;
    return length;
}

/// Subject alternative names, one per line: "DNS:example.test", "IP:198.18.0.2". Returns bytes written.
static inline int pg_tls_alt_names(X509 *cert, char *buffer, int size) {
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    int used = 0;
    if (size < 1) return 0;
    buffer[0] = 0;
    if (!names) return 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *entry = sk_GENERAL_NAME_value(names, i);
        char item[300];
        item[0] = 0;
        if (entry->type == GEN_DNS) {
            const unsigned char *data = ASN1_STRING_get0_data(entry->d.dNSName);
            snprintf(item, sizeof item, "DNS:%.*s", ASN1_STRING_length(entry->d.dNSName) > 250 ? 250 : ASN1_STRING_length(entry->d.dNSName), data);
        } else if (entry->type == GEN_IPADD) {
            const unsigned char *ip = ASN1_STRING_get0_data(entry->d.iPAddress);
            int length = ASN1_STRING_length(entry->d.iPAddress);
            if (length == 4) {
                snprintf(item, sizeof item, "IP:%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
            } else if (length == 16) {
                int at = snprintf(item, sizeof item, "IP:");
                for (int k = 0; k < 16; k += 2) at += snprintf(item + at, sizeof item - at, k ? ":%x" : "%x", (ip[k] << 8) | ip[k + 1]);
            }
        }
        int length = (int)strlen(item);
        if (length == 0 || used + length + 2 > size) continue;
        if (used) buffer[used++] = '\n';
        memcpy(buffer + used, item, length);
        used += length;
        buffer[used] = 0;
    }
    GENERAL_NAMES_free(names);
    return used;
}

/// notAfter as "YYYY-MM-DDTHH:MM:SSZ". Returns bytes written.
static inline int pg_tls_not_after(X509 *cert, char *buffer, int size) {
    struct tm when;
    memset(&when, 0, sizeof when);
    if (size < 1 || ASN1_TIME_to_tm(X509_get0_notAfter(cert), &when) != 1) return 0;
    return (int)strftime(buffer, size, "%Y-%m-%dT%H:%M:%SZ", &when);
}
#endif
