#define _GNU_SOURCE
#include "CPartnerShims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int partner_wifexited(int status) { return WIFEXITED(status); }
int partner_wexitstatus(int status) { return WEXITSTATUS(status); }
int partner_wifsignaled(int status) { return WIFSIGNALED(status); }
int partner_wtermsig(int status) { return WTERMSIG(status); }

/* The child reports failure as exit code 100 + stage index and the errno over a pipe:
   both are async-signal-safe to produce. */
enum { PROBE_STAGE_BASE = 100 };

static int write_all(int fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, text, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        text += written;
        length -= (size_t)written;
    }
    return 0;
}

static size_t format_unsigned(char *buffer, unsigned long value) {
    char digits[24];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    for (size_t index = 0; index < count; index++) buffer[index] = digits[count - 1 - index];
    return count;
}

static int write_file_text(const char *path, const char *text, size_t length) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = write_all(fd, text, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

/* Maps the caller's ids to root inside a fresh user namespace, as the sandbox launcher does. */
static int map_ids_to_root(uid_t outer_uid, gid_t outer_gid) {
    char line[64] = "0 ";
    size_t length = 2;
    length += format_unsigned(line + length, outer_uid);
    memcpy(line + length, " 1\n", 3);
    length += 3;
    if (write_file_text("/proc/self/uid_map", line, length) < 0) return -1;
    if (write_file_text("/proc/self/setgroups", "deny", 4) < 0 && errno != ENOENT) return -1;
    length = 2;
    length += format_unsigned(line + length, outer_gid);
    memcpy(line + length, " 1\n", 3);
    length += 3;
    return write_file_text("/proc/self/gid_map", line, length);
}

typedef int (*probe_body)(const void *context, int *failed_stage);

static partner_probe_result run_in_child(probe_body body, const void *context, const char *const *stage_names) {
    partner_probe_result result = {0, NULL};
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        result.error_number = errno;
        result.stage = "pipe";
        return result;
    }
    pid_t pid = fork();
    if (pid < 0) {
        result.error_number = errno;
        result.stage = "fork";
        close(report[0]);
        close(report[1]);
        return result;
    }
    if (pid == 0) {
        close(report[0]);
        int stage = 0;
        if (body(context, &stage) == 0) _exit(0);
        int child_errno = errno;
        (void)write_all(report[1], (const char *)&child_errno, sizeof child_errno);
        _exit(PROBE_STAGE_BASE + stage);
    }
    close(report[1]);
    int child_errno = 0;
    ssize_t got;
    do {
        got = read(report[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            result.error_number = errno;
            result.stage = "waitpid";
            return result;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return result;
    if (WIFEXITED(status) && WEXITSTATUS(status) >= PROBE_STAGE_BASE) {
        result.error_number = got == (ssize_t)sizeof child_errno ? child_errno : EIO;
        result.stage = stage_names[WEXITSTATUS(status) - PROBE_STAGE_BASE];
    } else {
        result.error_number = ECHILD;
        result.stage = WIFSIGNALED(status) ? "child killed by signal" : "child exited unexpectedly";
    }
    return result;
}

/* MARK: user namespace */

static const char *const user_namespace_stages[] = {"unshare(CLONE_NEWUSER)", "write uid_map/gid_map", "check uid"};

static int user_namespace_body(const void *context, int *failed_stage) {
    (void)context;
    uid_t uid = getuid();
    gid_t gid = getgid();
    *failed_stage = 0;
    if (unshare(CLONE_NEWUSER) < 0) return -1;
    *failed_stage = 1;
    if (map_ids_to_root(uid, gid) < 0) return -1;
    *failed_stage = 2;
    if (getuid() != 0) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

partner_probe_result partner_probe_user_namespace(void) {
    return run_in_child(user_namespace_body, NULL, user_namespace_stages);
}

/* MARK: seccomp */

static const char *const seccomp_stages[] = {"prctl(PR_SET_NO_NEW_PRIVS)", "seccomp(SET_MODE_FILTER)", "filtered call"};

static int seccomp_body(const void *context, int *failed_stage) {
    (void)context;
    /* Allow everything but getppid, which fails with EPERM. */
    struct sock_filter instructions[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {
        .len = (unsigned short)(sizeof instructions / sizeof instructions[0]),
        .filter = instructions,
    };
    *failed_stage = 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    *failed_stage = 1;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0) return -1;
    *failed_stage = 2;
    errno = 0;
    long parent = syscall(SYS_getppid);
    if (parent != -1 || errno != EPERM) {
        errno = ENOSYS;
        return -1;
    }
    return 0;
}

partner_probe_result partner_probe_seccomp(void) {
    return run_in_child(seccomp_body, NULL, seccomp_stages);
}

/* MARK: Landlock */

int partner_landlock_abi_version(void) {
    long version = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return version < 0 ? -errno : (int)version;
}

/* MARK: overlayfs */

typedef struct {
    const char *lower, *upper, *work, *merged;
} overlay_paths;

static const char *const overlay_stages[] = {"unshare(CLONE_NEWUSER|CLONE_NEWNS)", "write uid_map/gid_map",
                                             "make mounts private", "mount overlay", "options too long"};

static int append_text(char *buffer, size_t capacity, size_t *length, const char *text) {
    size_t text_length = strlen(text);
    if (*length + text_length + 1 > capacity) return -1;
    memcpy(buffer + *length, text, text_length);
    *length += text_length;
    buffer[*length] = '\0';
    return 0;
}

static int overlay_body(const void *context, int *failed_stage) {
    const overlay_paths *paths = context;
    uid_t uid = getuid();
    gid_t gid = getgid();
    char options[4096];
    size_t length = 0;
    *failed_stage = 4;
    if (append_text(options, sizeof options, &length, "lowerdir=") < 0 ||
        append_text(options, sizeof options, &length, paths->lower) < 0 ||
        append_text(options, sizeof options, &length, ",upperdir=") < 0 ||
        append_text(options, sizeof options, &length, paths->upper) < 0 ||
        append_text(options, sizeof options, &length, ",workdir=") < 0 ||
        append_text(options, sizeof options, &length, paths->work) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    *failed_stage = 0;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) return -1;
    *failed_stage = 1;
    if (map_ids_to_root(uid, gid) < 0) return -1;
    *failed_stage = 2;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) return -1;
    *failed_stage = 3;
    if (mount("overlay", paths->merged, "overlay", 0, options) < 0) return -1;
    return 0;
}

partner_probe_result partner_probe_overlay_in_user_namespace(const char *lower, const char *upper,
                                                              const char *work, const char *merged) {
    overlay_paths paths = {lower, upper, work, merged};
    return run_in_child(overlay_body, &paths, overlay_stages);
}
