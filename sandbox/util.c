/* Small helpers shared by the launcher's steps. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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
