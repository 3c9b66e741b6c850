/* Step 6: the payload's last steps before execve, in this order:
   6a new session (no controlling terminal: TIOCSTI has no target),
   6b close every inherited fd but 0-2 (the report fd is close-on-exec: it reports exec failures),
   6c reset every signal disposition and the mask,
   6d working directory,
   6e no_new_privs,
   6f drop privileges: securebits locked, bounding and ambient sets emptied, capabilities zero,
   6g Landlock (defence in depth behind the mount tree),
   6h seccomp, the last thing: nothing after it needs a filtered call but execve,
   then execve with exactly the spec's environment. */
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

static void drop_privileges(void) {
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
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) < 0) fail(EXIT_CONFINE, "capset", errno, "dropping all capabilities");
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
        if (length > 0 && length + strlen(name) + 2 < sizeof candidate) {
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

void confine_and_exec(const struct launch_spec *spec, const struct identity *id) {
    (void)id;
    /* 6a */
    if (setsid() < 0) fail(EXIT_CONFINE, "setsid", errno, "unexpected");
    /* 6b */
    if (report_fd > 3) syscall(SYS_close_range, 3u, (unsigned)report_fd - 1, 0u);
    syscall(SYS_close_range, (unsigned)(report_fd >= 3 ? report_fd + 1 : 3), ~0u, 0u);
    /* 6c */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) sigaction(number, &action, NULL); /* fails harmlessly for KILL/STOP */
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    /* 6d */
    if (chdir(spec->cwd) < 0) fail(EXIT_CONFINE, "chdir", errno, "%s must be inside one of the bound paths", spec->cwd);
    /* 6e */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(EXIT_CONFINE, "PR_SET_NO_NEW_PRIVS", errno, "unexpected");
    /* 6f */
    drop_privileges();
    /* 6g */
    landlock_apply(spec);
    /* 6h */
    seccomp_apply(spec);
    exec_payload(spec);
}
