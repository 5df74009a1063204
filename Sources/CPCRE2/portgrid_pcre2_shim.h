// PCRE2 picks its code-unit width by macro and names every function through a suffix macro
// (pcre2_compile -> pcre2_compile_8), which Swift cannot import: each call used gets an inline wrapper.
#ifndef PORTGRID_PCRE2_SHIM_H
#define PORTGRID_PCRE2_SHIM_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stddef.h>
#include <stdint.h>
#include <pcre2.h>

typedef pcre2_code_8 pg_pcre2_code;
typedef pcre2_match_data_8 pg_pcre2_match_data;
typedef pcre2_match_context_8 pg_pcre2_match_context;

static inline pg_pcre2_code *pg_pcre2_compile(const uint8_t *pattern, size_t length, uint32_t options,
                                              int *error_code, size_t *error_offset) {
    return pcre2_compile_8(pattern, length, options, error_code, error_offset, NULL);
}
static inline void pg_pcre2_code_free(pg_pcre2_code *code) { pcre2_code_free_8(code); }
static inline pg_pcre2_match_data *pg_pcre2_match_data_create(pg_pcre2_code *code) {
    return pcre2_match_data_create_from_pattern_8(code, NULL);
}
static inline void pg_pcre2_match_data_free(pg_pcre2_match_data *data) { pcre2_match_data_free_8(data); }
static inline pg_pcre2_match_context *pg_pcre2_match_context_create(uint32_t match_limit, uint32_t depth_limit) {
    pg_pcre2_match_context *context = pcre2_match_context_create_8(NULL);
    if (context) {
        pcre2_set_match_limit_8(context, match_limit);
        pcre2_set_depth_limit_8(context, depth_limit);
    }
    return context;
}
static inline void pg_pcre2_match_context_free(pg_pcre2_match_context *context) { pcre2_match_context_free_8(context); }
/// Returns the number of captured pairs (> 0), PCRE2_ERROR_NOMATCH, or another negative error.
static inline int pg_pcre2_match(const pg_pcre2_code *code, const uint8_t *subject, size_t length,
                                 pg_pcre2_match_data *data, pg_pcre2_match_context *context) {
    return pcre2_match_8(code, subject, length, 0, 0, data, context);
}
static inline size_t *pg_pcre2_ovector(pg_pcre2_match_data *data) { return pcre2_get_ovector_pointer_8(data); }
static inline uint32_t pg_pcre2_ovector_count(pg_pcre2_match_data *data) { return pcre2_get_ovector_count_8(data); }
static inline int pg_pcre2_error_message(int code, uint8_t *buffer, size_t size) {
    return pcre2_get_error_message_8(code, buffer, size);
}
static inline size_t pg_pcre2_unset(void) { return PCRE2_UNSET; }
static inline int pg_pcre2_error_nomatch(void) { return PCRE2_ERROR_NOMATCH; }
static inline uint32_t pg_pcre2_caseless(void) { return PCRE2_CASELESS; }
static inline uint32_t pg_pcre2_dotall(void) { return PCRE2_DOTALL; }
#endif
