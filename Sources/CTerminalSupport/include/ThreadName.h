// Names the calling thread for the system (top -H, gdb, /proc/.../comm):
// pthread_setname_np(3) needs _GNU_SOURCE, which Swift's Glibc module does not see.
#ifndef THREAD_NAME_H
#define THREAD_NAME_H

/// Names the calling thread; a name over 15 bytes is cut there. Returns 0, or an errno value.
int ctr_name_thread(const char *name);

#endif
