// The wide-character ncurses API as Swift can use it.
//
// Swift cannot import ncurses' function-like macros (COLOR_PAIR, getmaxyx,
// the A_* attributes, the mouse masks) and, under Swift 6's strict
// concurrency, cannot touch its mutable globals (stdscr, COLS, LINES,
// COLORS, curscr). These static inline functions expose each as a plain call.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline WINDOW *cnc_curscr(void) { return curscr; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_ok(void) { return OK; }

/// newterm on the process's own stdin/stdout (whose FILE globals Swift 6 cannot reach).
static inline SCREEN *cnc_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

/// Whether LC_CTYPE (after setlocale) is UTF-8.
static inline int cnc_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't')
        && (cs[2] == 'F' || cs[2] == 'f') && (cs[3] == '-' ? cs[4] == '8' : cs[3] == '8');
}

/// A terminfo string capability, or NULL when the terminal has none.
static inline const char *cnc_tigetstr(const char *cap) {
    char *s = tigetstr(cap);
    return (s == NULL || s == (char *)-1) ? NULL : s;
}

// Attributes (macros built from NCURSES_BITS).
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }

// Key codes (octal macros).
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_btab(void) { return KEY_BTAB; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cnc_key_dc(void) { return KEY_DC; }
static inline int cnc_key_f0(void) { return KEY_F0; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_key_mouse(void) { return KEY_MOUSE; }
static inline int cnc_key_select(void) { return KEY_SELECT; }
static inline int cnc_key_find(void) { return KEY_FIND; }
static inline int cnc_key_a1(void) { return KEY_A1; }
static inline int cnc_key_c1(void) { return KEY_C1; }
static inline int cnc_key_a3(void) { return KEY_A3; }
static inline int cnc_key_c3(void) { return KEY_C3; }

// Mouse masks.
static inline mmask_t cnc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cnc_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cnc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cnc_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cnc_button5_pressed(void) { return BUTTON5_PRESSED; }

/// get_wch on a window: OK with a character, KEY_CODE_YES with a key code, ERR on timeout.
static inline int cnc_get_wch(WINDOW *w, unsigned int *out) {
    wint_t c = 0;
    int r = wget_wch(w, &c);
    *out = (unsigned int)c;
    return r;
}

/// Writes one cell: a spacing character plus up to four combining ones, with attributes and colour pair.
static inline int cnc_put_cell(WINDOW *w, int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, chars, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

#endif
