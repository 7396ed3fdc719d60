// A non-blocking, close-on-exec pipe: pipe2(2) needs _GNU_SOURCE, which Swift's Glibc module does not see.
#ifndef WAKE_PIPE_H
#define WAKE_PIPE_H

/// Creates the pipe; returns 0, or -1 with errno set.
int ctr_nonblocking_pipe(int *read_fd, int *write_fd);

#endif
