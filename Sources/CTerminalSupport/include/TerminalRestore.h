// Puts the terminal back the way we found it, from anywhere: a normal exit, a
// fatal signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) or a crash (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP, SIGABRT; Swift traps raise SIGILL or SIGTRAP).
//
// Plain POSIX, no curses: a signal handler may only call async-signal-safe
// functions, so the restore is write(2) of a precomputed reset sequence plus
// tcsetattr(3) of the termios saved before curses changed it. The handler then
// re-raises the signal with its default action, so the exit status still says
// what happened.
#ifndef TERMINAL_RESTORE_H
#define TERMINAL_RESTORE_H

/// Saves `tty_fd`'s termios and installs the handlers and an atexit hook.
/// Call before curses starts. Returns 0, or -1 when `tty_fd` is not a terminal.
int ctr_install(int tty_fd);

/// Sets the bytes written on restore (leave the alternate screen, show the
/// cursor, reset attributes, stop mouse reporting...). Truncated at 1023 bytes.
void ctr_set_reset_sequence(const char *bytes);

/// Arms (1) or disarms (0) the restore: disarmed after a clean endwin, so a
/// later exit does not write the reset sequence again; armed again on resume.
void ctr_set_armed(int armed);

/// Restores now if armed (reset sequence + termios), then disarms. Idempotent.
void ctr_restore_now(void);

/// Ignores (1) or handles again (0) SIGINT and SIGQUIT, as system(3) does while
/// a child (an $EDITOR) owns the terminal: its Ctrl-C must not kill us. A no-op
/// handler rather than SIG_IGN, so the child (after exec) still gets the default.
void ctr_ignore_interrupts(int ignore);

/// Makes SIGWINCH write one byte to `fd` (a non-blocking pipe), so a loop
/// waiting in poll(2) wakes on resize even if the signal lands before poll.
/// A negative `fd` stops forwarding (call it before closing the pipe).
/// Returns 0, or -1 when the handler cannot be installed.
int ctr_forward_winch(int fd);

#endif
