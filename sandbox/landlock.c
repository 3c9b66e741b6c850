/* Step 6f: Landlock, defence in depth behind the mount tree. The ruleset handles every
   filesystem right the running kernel knows and grants them per root: read and execute on
   read-only roots, everything on writable ones, reading and writing devices in /dev.
   From ABI 4 TCP is denied when the spec has no network; from ABI 6 abstract unix sockets
   and signals are scoped to the worker. A kernel without Landlock is reported, not fatal:
   the namespaces and seccomp still confine the worker. PID 1 builds the ruleset inside the
   new root (landlock_prepare); the payload restricts itself with it (landlock_apply). */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Our own copies of the uapi constants: the build machine's headers may predate them. */
enum {
    FS_EXECUTE = 1 << 0, FS_WRITE_FILE = 1 << 1, FS_READ_FILE = 1 << 2, FS_READ_DIR = 1 << 3,
    FS_REMOVE_DIR = 1 << 4, FS_REMOVE_FILE = 1 << 5, FS_MAKE_CHAR = 1 << 6, FS_MAKE_DIR = 1 << 7,
    FS_MAKE_REG = 1 << 8, FS_MAKE_SOCK = 1 << 9, FS_MAKE_FIFO = 1 << 10, FS_MAKE_BLOCK = 1 << 11,
    FS_MAKE_SYM = 1 << 12, FS_REFER = 1 << 13, FS_TRUNCATE = 1 << 14, FS_IOCTL_DEV = 1 << 15,
};
enum { NET_BIND_TCP = 1, NET_CONNECT_TCP = 2 };
enum { SCOPE_ABSTRACT_UNIX_SOCKET = 1, SCOPE_SIGNAL = 2 };
enum { CREATE_RULESET_VERSION = 1, RULE_PATH_BENEATH = 1 };

struct ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

static uint64_t handled_for_abi(long abi) {
    uint64_t rights = (FS_MAKE_SYM << 1) - 1; /* ABI 1 */
    if (abi >= 2) rights |= FS_REFER;
    if (abi >= 3) rights |= FS_TRUNCATE;
    if (abi >= 5) rights |= FS_IOCTL_DEV;
    return rights;
}

static void add_rule(int ruleset, const char *path, uint64_t rights, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return; /* not in the tree (a missing optional path): nothing to allow */
    struct stat status;
    if (fstat(fd, &status) < 0) fail(EXIT_CONFINE, "fstat", errno, "Landlock rule for %s", path);
    /* A rule on a file may only carry the rights that apply to files. */
    if (!S_ISDIR(status.st_mode)) rights &= FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV;
    struct path_beneath_attr rule = {.allowed_access = rights & handled, .parent_fd = fd};
    if (syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &rule, 0) < 0)
        fail(EXIT_CONFINE, "landlock_add_rule", errno, "%s", path);
    close(fd);
}

int landlock_ruleset_fd = -1;

void landlock_prepare(const struct launch_spec *spec) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, CREATE_RULESET_VERSION);
    if (abi < 0) {
        report("note landlock-unavailable %s", strerror(errno));
        return;
    }
    uint64_t handled = handled_for_abi(abi);
    struct ruleset_attr attributes = {.handled_access_fs = handled};
    size_t size = sizeof(uint64_t);
    if (abi >= 4) {
        size = 2 * sizeof(uint64_t);
        if (spec->network == NETWORK_NONE) attributes.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
    }
    if (abi >= 6) {
        size = sizeof attributes;
        attributes.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attributes, size, 0);
    if (ruleset < 0) fail(EXIT_CONFINE, "landlock_create_ruleset", errno, "unexpected");

    const uint64_t read_only = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
    const uint64_t devices = FS_READ_FILE | FS_WRITE_FILE | FS_READ_DIR | FS_TRUNCATE | FS_IOCTL_DEV;
    add_rule(ruleset, "/", FS_READ_DIR, handled);
    add_rule(ruleset, "/etc", FS_READ_FILE | FS_READ_DIR, handled);
    add_rule(ruleset, "/dev", devices, handled);
    add_rule(ruleset, "/dev/shm", handled & ~(uint64_t)(FS_MAKE_CHAR | FS_MAKE_BLOCK | FS_EXECUTE), handled);
    add_rule(ruleset, "/proc", FS_READ_FILE | FS_WRITE_FILE | FS_READ_DIR, handled);
    add_rule(ruleset, "/tmp", handled & ~(uint64_t)(FS_MAKE_CHAR | FS_MAKE_BLOCK), handled);
    for (size_t index = 0; index < spec->read_only.count; index++)
        add_rule(ruleset, spec->read_only.items[index], read_only, handled);
    for (size_t index = 0; index < spec->read_write.count; index++)
        add_rule(ruleset, spec->read_write.items[index], handled & ~(uint64_t)(FS_MAKE_CHAR | FS_MAKE_BLOCK), handled);

    landlock_ruleset_fd = ruleset;
}

void landlock_apply(void) {
    if (landlock_ruleset_fd < 0) return; /* the kernel has no Landlock: reported while preparing */
    if (syscall(SYS_landlock_restrict_self, landlock_ruleset_fd, 0) < 0)
        fail(EXIT_CONFINE, "landlock_restrict_self", errno, "unexpected");
    close(landlock_ruleset_fd);
    landlock_ruleset_fd = -1;
}
