#define _GNU_SOURCE
#include "partner_spawn.h"

int partner_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

#include <fcntl.h>
#include <unistd.h>

int partner_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int partner_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int low) {
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
}

#include <sys/syscall.h>

int partner_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int partner_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0);
}
