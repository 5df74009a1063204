// OpenSSL 3 through dlopen: the headers give the types and constants, every function comes from
// dlsym, so nothing here links against libssl (a direct call would fail to link: that is the check).
#include "portgrid_tls.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>

// Each function OpenSSL gives us, as a pointer named after it.
#define PG_TLS_FUNCTIONS(X) \
    X(const SSL_METHOD *, TLS_client_method, (void)) \
    X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *)) \
    X(void, SSL_CTX_free, (SSL_CTX *)) \
    X(void, SSL_CTX_set_verify, (SSL_CTX *, int, SSL_verify_cb)) \
    X(void, SSL_CTX_set_security_level, (SSL_CTX *, int)) \
    X(long, SSL_CTX_ctrl, (SSL_CTX *, int, long, void *)) \
    X(uint64_t, SSL_CTX_set_options, (SSL_CTX *, uint64_t)) \
    X(SSL *, SSL_new, (SSL_CTX *)) \
    X(void, SSL_free, (SSL *)) \
    X(int, SSL_set_fd, (SSL *, int)) \
    X(void, SSL_set_connect_state, (SSL *)) \
    X(int, SSL_connect, (SSL *)) \
    X(int, SSL_read, (SSL *, void *, int)) \
    X(int, SSL_write, (SSL *, const void *, int)) \
    X(int, SSL_get_error, (const SSL *, int)) \
    X(const char *, SSL_get_version, (const SSL *)) \
    X(X509 *, SSL_get1_peer_certificate, (const SSL *)) \
    X(void, ERR_clear_error, (void)) \
    X(void, X509_free, (X509 *)) \
    X(X509_NAME *, X509_get_subject_name, (const X509 *)) \
    X(X509_NAME *, X509_get_issuer_name, (const X509 *)) \
    X(int, X509_NAME_print_ex, (BIO *, const X509_NAME *, int, unsigned long)) \
    X(void *, X509_get_ext_d2i, (const X509 *, int, int *, int *)) \
    X(const ASN1_TIME *, X509_get0_notAfter, (const X509 *)) \
    X(int, ASN1_TIME_to_tm, (const ASN1_TIME *, struct tm *)) \
    X(const unsigned char *, ASN1_STRING_get0_data, (const ASN1_STRING *)) \
    X(int, ASN1_STRING_length, (const ASN1_STRING *)) \
    X(int, OPENSSL_sk_num, (const OPENSSL_STACK *)) \
    X(void *, OPENSSL_sk_value, (const OPENSSL_STACK *, int)) \
    X(void, GENERAL_NAMES_free, (GENERAL_NAMES *)) \
    X(const BIO_METHOD *, BIO_s_mem, (void)) \
    X(BIO *, BIO_new, (const BIO_METHOD *)) \
    X(int, BIO_read, (BIO *, void *, int)) \
    X(int, BIO_free, (BIO *))

#define PG_DECLARE(result, name, parameters) static result (*p_##name) parameters;
PG_TLS_FUNCTIONS(PG_DECLARE)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;

static void load(void) {
    void *library = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    // dlsym on libssl's handle also finds libcrypto's functions: it is among libssl's dependencies.
#define PG_RESOLVE(result, name, parameters) \
    if (!(p_##name = (result (*) parameters)dlsym(library, #name))) return;
    PG_TLS_FUNCTIONS(PG_RESOLVE)
    loaded = 1;
}

int pg_tls_load(void) {
    pthread_once(&load_once, load);
    return loaded;
}

void *pg_tls_context_new(void) {
    SSL_CTX *ctx = p_SSL_CTX_new(p_TLS_client_method());
    if (!ctx) return NULL;
    p_SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    p_SSL_CTX_set_security_level(ctx, 0);
    p_SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, 0, NULL);
    p_SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
    return ctx;
}

void pg_tls_context_free(void *context) { p_SSL_CTX_free(context); }

void *pg_tls_new(void *context, int fd) {
    SSL *ssl = p_SSL_new(context);
    if (!ssl) return NULL;
    if (p_SSL_set_fd(ssl, fd) != 1) { p_SSL_free(ssl); return NULL; }
    p_SSL_set_connect_state(ssl);
    return ssl;
}

void pg_tls_free(void *session) { p_SSL_free(session); }
int pg_tls_connect(void *session) { return p_SSL_connect(session); }
int pg_tls_read(void *session, void *buffer, int size) { return p_SSL_read(session, buffer, size); }
int pg_tls_write(void *session, const void *bytes, int count) { return p_SSL_write(session, bytes, count); }
int pg_tls_error(void *session, int result) { return p_SSL_get_error(session, result); }
int pg_tls_want_read(void) { return SSL_ERROR_WANT_READ; }
int pg_tls_want_write(void) { return SSL_ERROR_WANT_WRITE; }
void pg_tls_clear_errors(void) { p_ERR_clear_error(); }
const char *pg_tls_version(void *session) { return p_SSL_get_version(session); }
void *pg_tls_peer_certificate(void *session) { return p_SSL_get1_peer_certificate(session); }
void pg_tls_certificate_free(void *certificate) { p_X509_free(certificate); }

int pg_tls_name(void *certificate, int issuer, char *buffer, int size) {
    X509_NAME *name = issuer ? p_X509_get_issuer_name(certificate) : p_X509_get_subject_name(certificate);
    BIO *bio = p_BIO_new(p_BIO_s_mem());
    if (!bio || !name || size < 1) { if (bio) p_BIO_free(bio); return 0; }
    p_X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int length = p_BIO_read(bio, buffer, size - 1);
    p_BIO_free(bio);
    if (length < 0) length = 0;
    buffer[length] = 0;
    return length;
}

int pg_tls_alt_names(void *certificate, char *buffer, int size) {
    GENERAL_NAMES *names = p_X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
    int used = 0;
    if (size < 1) return 0;
    buffer[0] = 0;
    if (!names) return 0;
    const OPENSSL_STACK *stack = (const OPENSSL_STACK *)names;
    for (int i = 0; i < p_OPENSSL_sk_num(stack); i++) {
        const GENERAL_NAME *entry = p_OPENSSL_sk_value(stack, i);
        char item[300];
        item[0] = 0;
        if (entry->type == GEN_DNS) {
            const unsigned char *data = p_ASN1_STRING_get0_data(entry->d.dNSName);
            int length = p_ASN1_STRING_length(entry->d.dNSName);
            snprintf(item, sizeof item, "DNS:%.*s", length > 250 ? 250 : length, data);
        } else if (entry->type == GEN_IPADD) {
            const unsigned char *ip = p_ASN1_STRING_get0_data(entry->d.iPAddress);
            int length = p_ASN1_STRING_length(entry->d.iPAddress);
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
    p_GENERAL_NAMES_free(names);
    return used;
}

int pg_tls_not_after(void *certificate, char *buffer, int size) {
    struct tm when;
    memset(&when, 0, sizeof when);
    if (size < 1 || p_ASN1_TIME_to_tm(p_X509_get0_notAfter(certificate), &when) != 1) return 0;
    return (int)strftime(buffer, size, "%Y-%m-%dT%H:%M:%SZ", &when);
}
