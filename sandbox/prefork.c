/* Prefork (--prefork): a launcher prepared ahead of its call.

   The outer launcher prepared the worker for a prediction (the confinement records of the
   call expected next) and noted every root's lstat. When the call comes it is checked, in
   this order, before any of it runs: (1) the outer launcher compares its confinement records
   with the prediction byte for byte, recomputes the identity and re-lstats every root
   (accept_call); (2) PID 1 binds protected and hidden paths as they are now and forwards the
   spec (receive_call, then main.c); (3) the payload compares the confinement records again
   (spec_parse_call). Any difference refuses the call with EXIT_PREFORK; the supervisor
   then runs it with a launcher of its own. */
#include "launcher.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct root_snapshot *snapshot_roots(const struct launch_spec *spec) {
    size_t count = spec->read_only.count + spec->read_write.count;
    struct root_snapshot *snapshot = xcalloc(count + 1, sizeof *snapshot);
    for (size_t index = 0; index < count; index++) {
        const char *path = index < spec->read_only.count ? spec->read_only.items[index]
                                                         : spec->read_write.items[index - spec->read_only.count];
        struct stat status;
        if (lstat(path, &status) < 0) {
            snapshot[index].error = errno;
            continue;
        }
        snapshot[index].device = status.st_dev;
        snapshot[index].inode = status.st_ino;
        snapshot[index].mode = status.st_mode;
    }
    return snapshot;
}

/* Waits for the call. When the supervisor discards this launcher (its spec socket closes
   with nothing sent) the launcher exits quietly; when the prepared worker ended during its
   preparation, it says so (the worker reported why first). */
void await_call(int spec_fd, int pidfd) {
    struct pollfd fds[2] = {{spec_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    while (poll(fds, 2, -1) < 0) {
        if (errno != EINTR) fail(EXIT_PREFORK, "poll", errno, "unexpected");
    }
    if (fds[0].revents) {
        char first;
        ssize_t got = recv(spec_fd, &first, 1, MSG_PEEK | MSG_DONTWAIT);
        if (got == 0) _exit(EXIT_PREFORK); /* discarded unused: its worker dies with it */
        return;
    }
    fail(EXIT_PREFORK, "prefork", 0, "the worker prepared ahead ended before its call; "
         "the supervisor starts a launcher for the call");
}

/* The call's spec, checked against what was prepared: the same confinement records byte for
   byte, the same identity, every root still the same file. Then forwarded to the child. */
void accept_call(int spec_fd, int socket_fd, const char *predicted, size_t predicted_length,
                        const struct identity *id, const struct root_snapshot *snapshot,
                        struct launch_spec *spec) {
    size_t length = 0;
    char *bytes = spec_read_bytes(spec_fd, &length);
    if (length > PREFORK_MAX_SPEC) fail(EXIT_SPEC, "spec", E2BIG, "a preforked launcher takes specs up to 60 KiB");
    char *confinement = xcalloc(length, 1);
    size_t confinement_length = spec_confinement_bytes(bytes, length, confinement);
    if (confinement_length != predicted_length || memcmp(confinement, predicted, predicted_length) != 0)
        fail(EXIT_PREFORK, "prefork", 0, "the call's confinement differs from the one prepared; "
             "the supervisor starts a launcher for the call");
    free(confinement);
    char *parsed = xcalloc(length, 1);
    memcpy(parsed, bytes, length);
    spec_parse(parsed, length, spec);
    struct identity now = choose_identity(spec);
    if (now.inside_uid != id->inside_uid || now.inside_gid != id->inside_gid || now.host_uid != id->host_uid ||
        now.host_gid != id->host_gid || now.idmap != id->idmap)
        fail(EXIT_PREFORK, "prefork", 0, "the first writable root changed owner since the worker was prepared");
    struct root_snapshot *current = snapshot_roots(spec);
    if (memcmp(current, snapshot, (spec->read_only.count + spec->read_write.count) * sizeof *current) != 0)
        fail(EXIT_PREFORK, "prefork", 0, "a root was created, removed or replaced on the host since the worker was prepared");
    free(current);
    if (send(socket_fd, bytes, length, MSG_NOSIGNAL) != (ssize_t)length)
        fail(EXIT_PREFORK, "prefork", errno, "the worker prepared ahead ended before its call");
    free(bytes);
}

/* Prepared ahead (--prefork): PID 1 waits for the call's spec, which the outer launcher
   forwards once it has checked it. PID 1 only passes it on to the payload, which checks it
   again before it uses it. A payload that ends while it waits (it reported why, or was
   killed) ends the preparation: the call must not find a worker without its payload. */
char *receive_call(int socket_fd, pid_t payload, size_t *length_out) {
    int payload_fd = (int)syscall(SYS_pidfd_open, payload, 0);
    if (payload_fd < 0) fail(EXIT_PREFORK, "pidfd_open", errno, "unexpected");
    struct pollfd fds[2] = {{socket_fd, POLLIN, 0}, {payload_fd, POLLIN, 0}};
    while (poll(fds, 2, -1) < 0) {
        if (errno != EINTR) fail(EXIT_PREFORK, "poll", errno, "unexpected");
    }
    if (!fds[0].revents) fail(EXIT_PREFORK, "prefork", 0, "the prepared payload ended before its call");
    close(payload_fd);
    char *bytes = xcalloc(PREFORK_MAX_SPEC + 1, 1);
    ssize_t got;
    do got = recv(socket_fd, bytes, PREFORK_MAX_SPEC + 1, 0);
    while (got < 0 && errno == EINTR);
    if (got <= 0) _exit(EXIT_PREFORK); /* the outer launcher refused the call and said why */
    *length_out = (size_t)got;
    return bytes;
}
