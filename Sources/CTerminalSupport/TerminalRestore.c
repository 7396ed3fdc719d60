#define _POSIX_C_SOURCE 200809L
#include "TerminalRestore.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_termios;
static int saved_fd = -1;
static volatile sig_atomic_t armed = 0;
static char reset_bytes[1024];
static volatile sig_atomic_t reset_len = 0;
static volatile sig_atomic_t winch_fd = -1;
static int installed = 0;

static const int fatal_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT,
};

/// Async-signal-safe: write(2) and tcsetattr(3) only.
static void restore_raw(void) {
    if (!armed || saved_fd < 0) return;
    armed = 0;
    ssize_t off = 0;
    while (off < reset_len) {
        ssize_t n = write(saved_fd, reset_bytes + off, (size_t)(reset_len - off));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        off += n;
    }
    tcsetattr(saved_fd, TCSANOW, &saved_termios);
}

static void on_fatal(int sig);

/// Points `sig` at the restore handler unless the parent told us to ignore it (nohup).
static void catch_signal(int sig) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) return;
    sigaction(sig, &sa, NULL);
}

static void on_fatal(int sig) {
    int saved_errno = errno;
    restore_raw();
    // SA_RESETHAND already put the default action back; re-raise so the process
    // ends the way the signal meant (core dump for a crash, 128+n status).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    errno = saved_errno;
}

static void on_winch(int sig) {
    (void)sig;
    int saved_errno = errno;
    if (winch_fd >= 0) {
        char c = 'w';
        (void)!write(winch_fd, &c, 1);
    }
    errno = saved_errno;
}

static void at_exit_restore(void) { restore_raw(); }

int ctr_install(int tty_fd) {
    if (!isatty(tty_fd)) return -1;
    if (tcgetattr(tty_fd, &saved_termios) != 0) return -1;
    saved_fd = tty_fd;
    armed = 1;
    if (installed) return 0;
    installed = 1;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) catch_signal(fatal_signals[i]);
    atexit(at_exit_restore);
    return 0;
}

void ctr_set_reset_sequence(const char *bytes) {
    size_t n = bytes ? strlen(bytes) : 0;
    if (n > sizeof reset_bytes - 1) n = sizeof reset_bytes - 1;
    reset_len = 0;
    memcpy(reset_bytes, bytes ? bytes : "", n);
    reset_bytes[n] = 0;
    reset_len = (sig_atomic_t)n;
}

void ctr_set_armed(int on) { armed = on ? 1 : 0; }

void ctr_restore_now(void) { restore_raw(); }

/// Does nothing: unlike SIG_IGN, a handler is reset to the default on exec, so the child still gets its Ctrl-C.
static void on_interrupt_while_suspended(int sig) { (void)sig; }

void ctr_ignore_interrupts(int ignore) {
    static struct sigaction saved_int, saved_quit;
    static int ignoring = 0;
    if (ignore && !ignoring) {
        struct sigaction ign;
        memset(&ign, 0, sizeof ign);
        ign.sa_handler = on_interrupt_while_suspended;
        ign.sa_flags = SA_RESTART;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGINT, &ign, &saved_int);
        sigaction(SIGQUIT, &ign, &saved_quit);
        ignoring = 1;
    } else if (!ignore && ignoring) {
        sigaction(SIGINT, &saved_int, NULL);
        sigaction(SIGQUIT, &saved_quit, NULL);
        ignoring = 0;
    }
}

int ctr_forward_winch(int fd) {
    winch_fd = fd;
    if (fd < 0) {
        // Stop writing before the pipe closes: its number may be reused by another file.
        signal(SIGWINCH, SIG_DFL);
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(SIGWINCH, &sa, NULL);
}
