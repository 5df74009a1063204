// SwiftPM keeps only -I from pkg-config, so the wide-character API must be switched on here
// or Swift sees no cchar_t / get_wch / add_wch.
#ifndef PORTGRID_NCURSES_SHIM_H
#define PORTGRID_NCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

// Swift cannot import function-like macros, and strict concurrency rejects mutable C globals:
// each gets a small accessor.
static inline WINDOW *pg_stdscr(void) { return stdscr; }
static inline int pg_lines(void) { return LINES; }
static inline int pg_cols(void) { return COLS; }
static inline int pg_colors(void) { return COLORS; }
static inline int pg_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t pg_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline int pg_maxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int pg_maxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline attr_t pg_a_bold(void) { return A_BOLD; }
static inline attr_t pg_a_dim(void) { return A_DIM; }
static inline attr_t pg_a_reverse(void) { return A_REVERSE; }
static inline attr_t pg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pg_a_normal(void) { return A_NORMAL; }
static inline int pg_key_resize(void) { return KEY_RESIZE; }
static inline int pg_err(void) { return ERR; }
static inline int pg_key_code_yes(void) { return KEY_CODE_YES; }
// Mouse masks are built by a function-like macro (NCURSES_MOUSE_MASK): one accessor per use.
static inline mmask_t pg_mouse_wanted(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int pg_mouse_kind(mmask_t state) {
    if (state & BUTTON4_PRESSED) return 4;
    if (state & BUTTON5_PRESSED) return 5;
    if (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}
#endif
