#define _GNU_SOURCE
#include "partner_openat2.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const int partner_o_path = O_PATH;

int partner_openat2(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC);
    /* The kernel rejects a mode without O_CREAT/O_TMPFILE. */
    how.mode = (flags & (O_CREAT | __O_TMPFILE)) ? (unsigned long long)mode : 0;
    how.resolve = resolve;
    for (int attempt = 0; attempt < 64; attempt++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) return (int)fd;
        if (errno != EINTR && errno != EAGAIN) return -errno;
    }
    return -EAGAIN;
}
