// The terminal's size from the kernel (TIOCGWINSZ): ioctl(2) is variadic, which Swift cannot call.
#ifndef WINDOW_SIZE_H
#define WINDOW_SIZE_H

/// Stores the size of the terminal on `fd`; returns 0, or -1 when `fd` is not a terminal or reports 0x0.
int ctr_window_size(int fd, int *rows, int *cols);

#endif
