// The C library's wcwidth(3), which curses and most terminals use to measure
// a character; Swift's Glibc module hides it behind _XOPEN_SOURCE.
#ifndef CHAR_WIDTH_H
#define CHAR_WIDTH_H

/// wcwidth of one scalar in the current locale: -1 (unprintable), 0, 1 or 2.
int ctr_wcwidth(unsigned int scalar);

#endif
