/* Small helpers shared by the launcher's steps. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void *xcalloc(size_t count, size_t size) {
    void *memory = calloc(count, size);
    if (!memory) fail(EXIT_SPEC, "memory", ENOMEM, "the launcher ran out of memory");
    return memory;
}

int write_all(int fd, const void *data, size_t length) {
    const char *bytes = data;
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

void format_or_fail(char *buffer, size_t size, int code, const char *stage, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(buffer, size, format, arguments);
    va_end(arguments);
    if (length < 0) fail(code, stage, errno, "formatting a path failed");
    if ((size_t)length >= size)
        fail(code, stage, ENAMETOOLONG, "%.200s...: %d bytes do not fit in %zu; shorten the paths in the policy",
             buffer, length, size - 1);
}

void close_fd_range(unsigned first, unsigned last, int code, const char *stage) {
    if (first > last) return;
    if (syscall(SYS_close_range, first, last, 0u) < 0)
        fail(code, stage, errno, "closing inherited descriptors %u-%u; a kernel of 5.9 or later is needed", first, last);
}
