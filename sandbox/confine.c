/* Step 6: the payload, forked by PID 1, and its last steps before execve.

   PID 1 prepares, before it forks the payload: securebits locked (NOROOT, NO_SETUID_FIXUP,
   KEEP_CAPS off, NO_CAP_AMBIENT_RAISE), the bounding and ambient sets emptied, the Landlock
   ruleset and the seccomp program built. These only restrict what an execve could gain;
   PID 1 never executes anything.

   The payload then, in this order:
   6a new session (no controlling terminal: TIOCSTI has no target),
   6b close every inherited fd but 0-2, the report fd (close-on-exec: it reports exec
      failures), the Landlock ruleset (closed in 6f) and the call socket of a prepared launcher,
   6c reset every signal disposition and the mask,
   6d no_new_privs,
   6e every capability zero (effective, permitted, inheritable),
   6f Landlock (defence in depth behind the mount tree),
   6g seccomp: everything after it (reading the call, close, chdir, setrlimit, execve) is
      allowed by every profile,
   -- a launcher prepared ahead of its call stops here until the call's spec arrives --
   6h the call's working directory,
   6i the call's rlimits (step 4),
   then execve with exactly the call's arguments and environment. */
#include "launcher.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Securebits, bounding and ambient sets: in PID 1, inherited by the payload. */
static void limit_privileges(void) {
    unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
                         SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
    if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0) fail(EXIT_CONFINE, "PR_SET_SECUREBITS", errno, "unexpected");
    for (int capability = 0; capability <= 63; capability++) {
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) < 0) {
            if (errno == EINVAL) break; /* past the kernel's last capability */
            fail(EXIT_CONFINE, "PR_CAPBSET_DROP", errno, "unexpected");
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        fail(EXIT_CONFINE, "PR_CAP_AMBIENT_CLEAR_ALL", errno, "unexpected");
}

void confine_prepare(const struct launch_spec *spec) {
    limit_privileges();
    landlock_prepare(spec);
    seccomp_prepare(spec);
}

/* All capabilities zero: the payload keeps none of PID 1's. */
static void drop_capabilities(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) < 0) fail(EXIT_CONFINE, "capset", errno, "dropping all capabilities");
}

/* Closes every fd from 3 up except the report fd, the Landlock ruleset and call_fd. */
static void close_inherited_fds(int call_fd) {
    int keep[3] = {report_fd, landlock_ruleset_fd, call_fd};
    for (int pass = 0; pass < 2; pass++) /* sort three */
        for (int index = 0; index < 2; index++)
            if (keep[index] > keep[index + 1]) {
                int swap = keep[index];
                keep[index] = keep[index + 1];
                keep[index + 1] = swap;
            }
    unsigned next = 3;
    for (int index = 0; index < 3; index++) {
        if (keep[index] < (int)next) continue;
        if ((unsigned)keep[index] > next) close_fd_range(next, (unsigned)keep[index] - 1, EXIT_CONFINE, "close inherited fds");
        next = (unsigned)keep[index] + 1;
    }
    close_fd_range(next, ~0u, EXIT_CONFINE, "close inherited fds");
}

static const char *environment_value(const struct launch_spec *spec, const char *name) {
    size_t length = strlen(name);
    for (size_t index = 0; index < spec->environment.count; index++) {
        const char *entry = spec->environment.items[index];
        if (strncmp(entry, name, length) == 0 && entry[length] == '=') return entry + length + 1;
    }
    return NULL;
}

/* execve, searching the spec's PATH (not the launcher's) for a name without a slash. */
__attribute__((noreturn)) static void exec_payload(const struct launch_spec *spec) {
    char *const *argv = spec->arguments.items;
    char *const *envp = spec->environment.items;
    const char *name = argv[0];
    if (strchr(name, '/')) {
        execve(name, argv, envp);
        int saved = errno;
        fail(saved == ENOENT || saved == ENOTDIR ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE, "exec", saved,
             "%s: is it inside one of the sandbox's read-only or writable paths?", name);
    }
    const char *search = environment_value(spec, "PATH");
    if (!search) search = "/usr/local/bin:/usr/bin:/bin";
    int denied = 0, last = ENOENT;
    char candidate[4096];
    while (*search) {
        const char *colon = strchr(search, ':');
        size_t length = colon ? (size_t)(colon - search) : strlen(search);
        /* A candidate too long for a path is no file (as for execvp); said if nothing is found. */
        if (length > 0 && length + strlen(name) + 2 >= sizeof candidate) last = ENAMETOOLONG;
        else if (length > 0) {
            memcpy(candidate, search, length);
            candidate[length] = '/';
            strcpy(candidate + length + 1, name);
            execve(candidate, argv, envp);
            if (errno == EACCES) denied = 1;
            else if (errno != ENOENT && errno != ENOTDIR) last = errno;
        }
        if (!colon) break;
        search = colon + 1;
    }
    if (denied) fail(EXIT_NOT_EXECUTABLE, "exec", EACCES, "%s: found on PATH but not executable", name);
    fail(last == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE, "exec", last,
         "%s: command not found on the worker's PATH inside the sandbox", name);
}


/* A prepared payload: the call's spec, forwarded by PID 1 once the protected paths are bound. */
static void read_call(int call_fd, struct launch_spec *spec, const char *predicted, size_t predicted_length) {
    char *bytes = xcalloc(PREFORK_MAX_SPEC + 1, 1);
    ssize_t got;
    do got = read(call_fd, bytes, PREFORK_MAX_SPEC + 1);
    while (got < 0 && errno == EINTR);
    if (got <= 0) _exit(EXIT_PREFORK); /* PID 1 refused the call and said why */
    close(call_fd);
    spec_parse_call(bytes, (size_t)got, spec, predicted, predicted_length);
}

__attribute__((noreturn)) static void payload_main(struct launch_spec *spec, int call_fd, const char *predicted,
                                                   size_t predicted_length) {
    /* 6a */
    if (setsid() < 0) fail(EXIT_CONFINE, "setsid", errno, "unexpected");
    /* 6b */
    close_inherited_fds(call_fd);
    /* 6c */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) {
        /* KILL and STOP cannot be changed; glibc reserves 32 and 33 for its threads. */
        if (sigaction(number, &action, NULL) < 0 && errno != EINVAL)
            fail(EXIT_CONFINE, "sigaction", errno, "resetting signal %d", number);
    }
    sigset_t empty;
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) < 0) fail(EXIT_CONFINE, "sigprocmask", errno, "unexpected");
    /* 6d */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(EXIT_CONFINE, "PR_SET_NO_NEW_PRIVS", errno, "unexpected");
    /* 6e */
    drop_capabilities();
    /* 6f */
    landlock_apply();
    /* 6g */
    seccomp_apply();
    if (call_fd >= 0) {
        report("prepared"); /* the whole worker waits for its call */
        read_call(call_fd, spec, predicted, predicted_length);
    }
    /* 6h */
    if (chdir(spec->cwd) < 0) fail(EXIT_CONFINE, "chdir", errno, "%s must be inside one of the bound paths", spec->cwd);
    /* 6i */
    limits_apply(spec);
    exec_payload(spec);
}

pid_t payload_start(struct launch_spec *spec, int call_fd, const char *predicted, size_t predicted_length) {
    pid_t payload = fork();
    if (payload < 0) fail(EXIT_REAPER, "fork payload", errno, "the process limit may be too low");
    if (payload == 0) payload_main(spec, call_fd, predicted, predicted_length);
    /* PID 1 keeps no copy of the payload's ruleset. */
    if (landlock_ruleset_fd >= 0) close(landlock_ruleset_fd);
    landlock_ruleset_fd = -1;
    return payload;
}
