#define _GNU_SOURCE
#include "WakePipe.h"

#include <fcntl.h>
#include <unistd.h>

int ctr_nonblocking_pipe(int *read_fd, int *write_fd) {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return -1;
    *read_fd = fds[0];
    *write_fd = fds[1];
    return 0;
}
