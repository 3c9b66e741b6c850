/* Step 6h: seccomp, the last step before execve. Two filters, both of which the kernel
   evaluates (the most restrictive answer wins):
     1. the named profile from seccomp_profiles.c, a per-system-call table;
     2. the argument filter, common to all profiles: clone with namespace flags, the
        TIOCSTI/TIOCLINUX ioctls (compared on the low 32 bits, as the kernel reads them),
        and socket families other than AF_UNIX (plus AF_INET/AF_INET6 with network).
   Both kill the process for any non-native ABI (i386 int 0x80, x32). */
#include "launcher.h"
#include "seccomp_profiles.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int seccomp_profile_known(const char *name) {
    for (size_t index = 0; index < seccomp_profile_count; index++)
        if (strcmp(seccomp_profiles[index].name, name) == 0) return 1;
    return 0;
}

static scmp_filter_ctx new_filter(uint32_t default_action) {
    scmp_filter_ctx filter = seccomp_init(default_action);
    if (!filter) fail(EXIT_CONFINE, "seccomp_init", ENOMEM, "unexpected");
    /* Non-native architectures die; on x86-64 libseccomp also sends x32 numbers here. */
    if (seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
        fail(EXIT_CONFINE, "seccomp bad-arch action", EINVAL, "libseccomp too old");
    return filter;
}

static struct scmp_arg_cmp compare(unsigned argument, enum scmp_compare operation, uint64_t first, uint64_t second) {
    struct scmp_arg_cmp comparison = {argument, operation, first, second};
    return comparison;
}

static void add_rule(scmp_filter_ctx filter, uint32_t action, const char *name, unsigned count,
                     const struct scmp_arg_cmp *comparisons) {
    int number = seccomp_syscall_resolve_name(name);
    if (number == __NR_SCMP_ERROR) return; /* unknown on this architecture or libseccomp */
    int result = seccomp_rule_add_array(filter, action, number, count, comparisons);
    if (result < 0) fail(EXIT_CONFINE, "seccomp_rule_add", -result, "system call %s", name);
}

static void load(scmp_filter_ctx filter, const char *which) {
    int result = seccomp_load(filter);
    if (result < 0) fail(EXIT_CONFINE, "seccomp_load", -result, "%s filter", which);
    seccomp_release(filter);
}

static void apply_profile(const struct seccomp_profile *profile) {
    scmp_filter_ctx filter = new_filter(profile->allow_by_default ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(ENOSYS));
    uint32_t listed_action = profile->allow_by_default ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW;
    for (size_t index = 0; index < profile->listed_count; index++)
        add_rule(filter, listed_action, profile->listed[index], 0, NULL);
    /* An allow-list profile already answers ENOSYS to everything it does not list. */
    for (size_t index = 0; profile->allow_by_default && index < profile->unsupported_count; index++)
        add_rule(filter, SCMP_ACT_ERRNO(ENOSYS), profile->unsupported[index], 0, NULL);
    load(filter, profile->name);
}

static void apply_argument_rules(enum network_mode network) {
    scmp_filter_ctx filter = new_filter(SCMP_ACT_ALLOW);
    static const unsigned long namespace_flags[] = {CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
                                                    CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP};
    for (size_t index = 0; index < sizeof namespace_flags / sizeof *namespace_flags; index++) {
        struct scmp_arg_cmp flag = compare(0, SCMP_CMP_MASKED_EQ, namespace_flags[index], namespace_flags[index]);
        add_rule(filter, SCMP_ACT_ERRNO(EPERM), "clone", 1, &flag);
    }
    static const unsigned long terminal_ioctls[] = {TIOCSTI, TIOCLINUX};
    for (size_t index = 0; index < 2; index++) {
        struct scmp_arg_cmp command = compare(1, SCMP_CMP_MASKED_EQ, 0xffffffffUL, terminal_ioctls[index]);
        add_rule(filter, SCMP_ACT_ERRNO(EPERM), "ioctl", 1, &command);
    }
    if (network == NETWORK_NONE) {
        struct scmp_arg_cmp not_unix = compare(0, SCMP_CMP_NE, AF_UNIX, 0);
        add_rule(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 1, &not_unix);
    } else {
        /* AF_UNSPEC, the families between AF_INET and AF_INET6, and everything above. */
        struct scmp_arg_cmp above = compare(0, SCMP_CMP_GT, AF_INET6, 0);
        add_rule(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 1, &above);
        for (unsigned long family = 0; family < AF_INET6; family++) {
            if (family == AF_UNIX || family == AF_INET) continue;
            struct scmp_arg_cmp equal = compare(0, SCMP_CMP_EQ, family, 0);
            add_rule(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 1, &equal);
        }
    }
    struct scmp_arg_cmp pair_not_unix = compare(0, SCMP_CMP_NE, AF_UNIX, 0);
    add_rule(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socketpair", 1, &pair_not_unix);
    load(filter, "argument");
}

void seccomp_apply(const struct launch_spec *spec) {
    for (size_t index = 0; index < seccomp_profile_count; index++) {
        if (strcmp(seccomp_profiles[index].name, spec->seccomp_profile) != 0) continue;
        apply_argument_rules(spec->network);
        apply_profile(&seccomp_profiles[index]);
        return;
    }
    fail(EXIT_CONFINE, "seccomp", EINVAL, "unknown profile %s", spec->seccomp_profile);
}
