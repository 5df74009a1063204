// -sV's TLS tunnels through OpenSSL's libssl, which is loaded only when detection first needs it
// (dlopen): linked at start, libssl and libcrypto cost every run about 1.6 MB of resident pages,
// and most runs never open a TLS session. Handles are opaque; the calls mirror OpenSSL's.
#ifndef PORTGRID_TLS_H
#define PORTGRID_TLS_H

/// Loads libssl on first call (thread-safe); 1 when every function below is ready, 0 when the
/// library or one of its functions is missing (then every other call here must not be made).
int pg_tls_load(void);

/// A client context that accepts any certificate and any protocol version: detection must see old
/// and self-signed services, and verifies nothing. NULL on failure.
void *pg_tls_context_new(void);
void pg_tls_context_free(void *context);

/// A client session on a connected socket; NULL on failure.
void *pg_tls_new(void *context, int fd);
void pg_tls_free(void *session);

int pg_tls_connect(void *session);
int pg_tls_read(void *session, void *buffer, int size);
int pg_tls_write(void *session, const void *bytes, int count);
/// SSL_get_error of the last call's result.
int pg_tls_error(void *session, int result);
int pg_tls_want_read(void);
int pg_tls_want_write(void);
void pg_tls_clear_errors(void);
/// The negotiated protocol, e.g. "TLSv1.3".
const char *pg_tls_version(void *session);

/// The peer's certificate (NULL when none); free it with pg_tls_certificate_free.
void *pg_tls_peer_certificate(void *session);
void pg_tls_certificate_free(void *certificate);
/// Subject (issuer != 0: issuer) in RFC 2253 form, e.g. "CN=localhost,O=Test". Returns bytes written.
int pg_tls_name(void *certificate, int issuer, char *buffer, int size);
/// Subject alternative names, one per line: "DNS:example.test", "IP:198.18.0.2". Returns bytes written.
int pg_tls_alt_names(void *certificate, char *buffer, int size);
/// notAfter as "YYYY-MM-DDTHH:MM:SSZ". Returns bytes written.
int pg_tls_not_after(void *certificate, char *buffer, int size);

#endif
