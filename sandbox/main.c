/* partner-sandbox: the confined-worker launcher. See docs/sandbox.md.

   Usage: partner-sandbox --spec-fd N [--report-fd M] [--supervisor-pid P] [--prefork]

   The launcher reads the whole launch spec first, then runs these steps in this order,
   each failing with "stage: errno: hint" and its exit code (launcher.h):

     1. namespaces  clone3 into new user, mount, pid, net (unless host), ipc, uts and cgroup
                    namespaces; this outer process maps the child's ids (never host root)
                    and, when it is host root, hands it idmapped clones of the writable roots.
     2. mounts      the child builds a private tree on a fresh tmpfs and pivots into it;
                    protected and hidden paths last.
     3. network     hostname; loopback up when the spec allows it.
     4. limits      the call's rlimits, set by the payload right before execve (cgroup
                    placement already happened atomically in clone3).
     5. reaper      the child is PID 1: it forks the payload, reaps everything, passes the
                    payload's status through and takes the whole namespace down with it.
     6. confine     PID 1 locks securebits, empties the bounding set and builds the Landlock
                    ruleset and seccomp program; the payload: new session, fds closed, signals
                    reset, no_new_privs, all capabilities dropped, Landlock, seccomp, execve.

   With --prefork the spec fd first carries a prediction (the confinement records of the
   call expected next) and steps 1-6 run for it up to the payload waiting, confined, for its
   call. The call's spec must then match the prediction byte for byte, and the roots must be
   the files they were, or the launcher refuses the call (exit 117) before any of it runs.
   Protected and hidden paths, rlimits, cwd, arguments and environment are the call's.

   The outer process stays outside, waits for PID 1, enforces the wall-clock timeout, and
   kills the whole tree when its supervisor goes away (hang-up of the spec fd). No process
   of the tree outlives the supervisor: lifeline.c lists the ties and why each holds. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The host uid and gid a worker runs as when the launcher itself runs as host root. It lies
   outside the ranges distributions hand out to users and subordinate ids. */
#define WORKER_HOST_ID 2130706432u
enum { MAX_WRITABLE_ROOTS = 64 };

static long long monotonic_ms(void) {
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) < 0) fail(EXIT_REAPER, "clock_gettime", errno, "the timeout needs a monotonic clock");
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int parse_fd(const char *text) {
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (!*text || *end || value < 3 || value > 1024)
        fail(EXIT_SPEC, "usage", EBADF, "fd numbers must be between 3 and 1024");
    return (int)value;
}

/* Closes every fd but 0-2 and the two the launcher was given. */
static void close_other_fds(int keep_a, int keep_b) {
    int low = keep_a < keep_b ? keep_a : keep_b, high = keep_a < keep_b ? keep_b : keep_a;
    if (low < 0) low = high;
    if (low > 3) close_fd_range(3u, (unsigned)low - 1, EXIT_SPEC, "close inherited fds");
    if (high > low + 1) close_fd_range((unsigned)low + 1, (unsigned)high - 1, EXIT_SPEC, "close inherited fds");
    close_fd_range((unsigned)high + 1, ~0u, EXIT_SPEC, "close inherited fds");
}

struct identity choose_identity(const struct launch_spec *spec) {
    struct identity id = {0};
    if (geteuid() != getuid() || getegid() != getgid())
        fail(EXIT_NAMESPACES, "identity", EPERM, "partner-sandbox must not be installed setuid or setgid");
    if (geteuid() != 0) {
        id.inside_uid = id.host_uid = getuid();
        id.inside_gid = id.host_gid = getgid();
        return id;
    }
    /* Host root: the worker gets an unprivileged host id, and inside its namespace the
       identity of the first writable root's owner, which idmapped mounts make it. */
    id.host_uid = WORKER_HOST_ID;
    id.host_gid = WORKER_HOST_ID;
    id.idmap = spec->read_write.count > 0;
    if (spec->read_write.count > 0) {
        struct stat status;
        if (stat(spec->read_write.items[0], &status) < 0)
            fail(EXIT_MOUNTS, "stat writable root", errno, "%s must exist", spec->read_write.items[0]);
        id.inside_uid = status.st_uid;
        id.inside_gid = status.st_gid;
    }
    return id;
}

static void write_id_maps(pid_t child, const struct identity *id) {
    char path[64], line[64];
    format_or_fail(path, sizeof path, EXIT_NAMESPACES, "write uid_map", "/proc/%d/uid_map", child);
    format_or_fail(line, sizeof line, EXIT_NAMESPACES, "write uid_map", "%u %u 1\n", id->inside_uid, id->host_uid);
    if (write_file(path, line) < 0)
        fail(EXIT_NAMESPACES, "write uid_map", errno, "user namespaces may be restricted; run `partner doctor`");
    format_or_fail(path, sizeof path, EXIT_NAMESPACES, "write setgroups", "/proc/%d/setgroups", child);
    if (write_file(path, "deny") < 0 && errno != ENOENT)
        fail(EXIT_NAMESPACES, "write setgroups", errno, "run `partner doctor`");
    format_or_fail(path, sizeof path, EXIT_NAMESPACES, "write gid_map", "/proc/%d/gid_map", child);
    format_or_fail(line, sizeof line, EXIT_NAMESPACES, "write gid_map", "%u %u 1\n", id->inside_gid, id->host_gid);
    if (write_file(path, line) < 0) fail(EXIT_NAMESPACES, "write gid_map", errno, "run `partner doctor`");
}

/* What the outer launcher tells the child once the ids are mapped. */
struct hand_over_message {
    char go;
    struct identity id;
};

/* Sends "go", the worker's identity and the idmapped trees (if any) to the child. */
static void hand_over(int socket_fd, const struct identity *id, const int *fds, size_t count) {
    struct hand_over_message go = {.go = 'g', .id = *id};
    struct iovec data = {.iov_base = &go, .iov_len = sizeof go};
    union {
        char buffer[CMSG_SPACE(sizeof(int) * MAX_WRITABLE_ROOTS)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1};
    if (count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * count);
        memcpy(CMSG_DATA(header), fds, sizeof(int) * count);
    }
    if (sendmsg(socket_fd, &message, MSG_NOSIGNAL) < 0) fail(EXIT_NAMESPACES, "hand over to worker", errno, "the worker died during setup");
}

static void receive_hand_over(int socket_fd, struct identity *id, int *fds, size_t count) {
    struct hand_over_message go = {0};
    struct iovec data = {.iov_base = &go, .iov_len = sizeof go};
    union {
        char buffer[CMSG_SPACE(sizeof(int) * MAX_WRITABLE_ROOTS)];
        struct cmsghdr align;
    } control;
    struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = sizeof control.buffer};
    ssize_t got;
    do got = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    if (got < 0) fail(EXIT_NAMESPACES, "hand over: recvmsg", errno, "receiving the worker's identity from the outer launcher");
    if (got != (ssize_t)sizeof go || go.go != 'g') _exit(EXIT_NAMESPACES); /* the outer launcher failed and said why */
    /* Descriptors the kernel could not pass (no room in the fd table, an LSM refused one)
       are dropped with MSG_CTRUNC: a writable root would then be bound without its idmap. */
    if (message.msg_flags & MSG_CTRUNC)
        fail(EXIT_NAMESPACES, "hand over", EPROTO, "the idmapped writable roots were truncated in transit "
             "(MSG_CTRUNC): the worker may be out of file descriptors");
    *id = go.id;
    for (size_t index = 0; index < count; index++) fds[index] = -1;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header && (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS))
        fail(EXIT_NAMESPACES, "hand over", EPROTO, "unexpected control message from the outer launcher");
    size_t received = header ? (header->cmsg_len - CMSG_LEN(0)) / sizeof(int) : 0;
    /* The outer launcher sends one tree per writable root when it idmaps, none otherwise. */
    if (header && received != count) fail(EXIT_NAMESPACES, "hand over", EPROTO, "expected one tree per writable root");
    if (id->idmap && count > 0 && !header)
        fail(EXIT_NAMESPACES, "hand over", EPROTO, "the idmapped writable roots did not arrive");
    if (header) memcpy(fds, CMSG_DATA(header), sizeof(int) * count);
}

/* Switches to the worker's ids inside the namespace while keeping the namespace's
   capabilities for the mount steps; the payload drops them all before execve. */
static void become_inside_identity(const struct identity *id) {
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail(EXIT_NAMESPACES, "keepcaps", errno, "unexpected");
    if (setresgid(id->inside_gid, id->inside_gid, id->inside_gid) < 0)
        fail(EXIT_NAMESPACES, "setresgid", errno, "the gid map was not written");
    if (setresuid(id->inside_uid, id->inside_uid, id->inside_uid) < 0)
        fail(EXIT_NAMESPACES, "setresuid", errno, "the uid map was not written");
    struct { uint32_t version; int pid; } header = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
    struct { uint32_t effective, permitted, inheritable; } data[2];
    if (syscall(SYS_capget, &header, data) < 0) fail(EXIT_NAMESPACES, "capget", errno, "unexpected");
    data[0].effective = data[0].permitted;
    data[1].effective = data[1].permitted;
    if (syscall(SYS_capset, &header, data) < 0) fail(EXIT_NAMESPACES, "capset", errno, "unexpected");
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail(EXIT_NAMESPACES, "keepcaps", errno, "unexpected");
}

/* The child: becomes PID 1 of the new namespaces, builds the worker and reaps it.
   Without a prediction everything runs at once. With one (--prefork), everything that
   depends only on the confinement runs before the call arrives: the tree, the network,
   and a payload that has confined itself and waits for the call's spec. */
__attribute__((noreturn)) static void child_main(struct launch_spec *spec, int socket_fd, int spec_fd, int outer_pidfd,
                                                 const char *predicted, size_t predicted_length) {
    /* Dies with the outer launcher, which is single-threaded, so the signal is reliable, as
       long as it is armed: the kernel clears it on every credential change, so it is armed
       again after each, and checked against the outer launcher's pidfd every time. */
    lifeline_arm(0, outer_pidfd, "clone3");
    close(spec_fd);
    int idmapped[MAX_WRITABLE_ROOTS];
    struct identity identity;
    receive_hand_over(socket_fd, &identity, idmapped, spec->read_write.count);
    const struct identity *id = &identity;
    if (!predicted) close(socket_fd);
    become_inside_identity(id);
    lifeline_arm(0, outer_pidfd, "setresuid");
    mounts_build(spec, id, idmapped);   /* step 2: the tree, pivot_root */
    network_setup(spec);                /* step 3 */
    confine_prepare(spec);              /* step 6, what PID 1 prepares for the payload */
    lifeline_arm(0, outer_pidfd, "securebits");
    reaper_prepare();                   /* step 5: signals, before the payload exists */
    if (!predicted) {
        mounts_protect(spec);           /* step 2, last: protected and hidden paths */
        reaper_run(payload_start(spec, -1, NULL, 0), outer_pidfd); /* steps 4 (in the payload), 5 and 6 */
    }
    int call[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, call) < 0)
        fail(EXIT_REAPER, "socketpair", errno, "unexpected");
    pid_t payload = payload_start(spec, call[1], predicted, predicted_length);
    close(call[1]);
    /* The call. */
    size_t length = 0;
    char *bytes = receive_call(socket_fd, payload, &length);
    close(socket_fd);
    mounts_protect(spec);               /* step 2, last: protected and hidden paths as they are now */
    /* A payload that ended while it was prepared has reported why (the supervisor takes the
       first setup error it reads); the call is refused here, and its namespace ends with PID 1. */
    if (send(call[0], bytes, length, MSG_NOSIGNAL) != (ssize_t)length)
        fail(EXIT_PREFORK, "prefork", errno, "the prepared payload ended before its call");
    close(call[0]);
    reaper_run(payload, outer_pidfd);   /* step 5; the payload runs steps 4 and 6 */
}

/* Reads a small integer from a sysctl file; -1 when it does not exist or does not parse. */
static long read_sysctl(const char *path) {
    char text[32] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t got = read(fd, text, sizeof text - 1);
    close(fd);
    return got > 0 ? strtol(text, NULL, 10) : -1;
}

/* Says which setting keeps user namespaces from being created, when one does. */
__attribute__((noreturn)) static void explain_clone_failure(int error) {
    if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0)
        fail(EXIT_NAMESPACES, "clone3", error, "user namespaces are disabled by sysctl kernel.unprivileged_userns_clone=0; "
             "enable them (sysctl -w kernel.unprivileged_userns_clone=1) and run `partner doctor`");
    if (read_sysctl("/proc/sys/user/max_user_namespaces") == 0)
        fail(EXIT_NAMESPACES, "clone3", error, "user namespaces are disabled by sysctl user.max_user_namespaces=0; "
             "raise it and run `partner doctor`");
    if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
        fail(EXIT_NAMESPACES, "clone3", error, "AppArmor restricts unprivileged user namespaces "
             "(kernel.apparmor_restrict_unprivileged_userns=1); allow partner-sandbox in an AppArmor profile "
             "and run `partner doctor`");
    if (error == ENOSPC || error == EUSERS)
        fail(EXIT_NAMESPACES, "clone3", error, "too many namespaces exist; check user.max_user_namespaces and friends");
    fail(EXIT_NAMESPACES, "clone3", error, "creating the worker's namespaces failed; run `partner doctor`");
}

/* MARK: the outer launcher: waiting, timeout, lifeline. */

/* Kills every process of the worker's cgroup (cgroup.kill, Linux 5.14), when it runs in one.
   Belt and braces behind the pid namespace: a kernel without cgroup.kill is not an error. */
static void kill_cgroup(const struct launch_spec *spec) {
    if (!spec->cgroup) return;
    char path[4200];
    format_or_fail(path, sizeof path, EXIT_REAPER, "cgroup.kill", "%s/cgroup.kill", spec->cgroup);
    if (write_file(path, "1") < 0 && errno != ENOENT)
        report("note cgroup-kill-failed %s", strerror(errno));
}

static int supervise(pid_t child, int pidfd, int spec_fd, const struct launch_spec *spec) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    sigaddset(&signals, SIGUSR1);
    int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0) fail(EXIT_REAPER, "signalfd", errno, "unexpected");

    long long now = monotonic_ms();
    long long term_at = spec->timeout_ms > 0 ? now + spec->timeout_ms : -1, kill_at = -1;
    /* Only a pipe or socket can hang up; a spec read from a file has no lifeline. */
    struct stat spec_status;
    int lifeline = fstat(spec_fd, &spec_status) == 0 && (S_ISFIFO(spec_status.st_mode) || S_ISSOCK(spec_status.st_mode));
    int timed_out = 0;
    for (;;) {
        struct pollfd fds[3] = {{pidfd, POLLIN, 0}, {signal_fd, POLLIN, 0}, {lifeline ? spec_fd : -1, POLLIN, 0}};
        long long deadline = kill_at >= 0 ? kill_at : term_at;
        int wait_ms = -1;
        if (deadline >= 0) {
            long long left = deadline - monotonic_ms();
            wait_ms = left < 0 ? 0 : (int)(left > 1000000 ? 1000000 : left);
        }
        int ready = poll(fds, 3, wait_ms);
        if (ready < 0 && errno != EINTR) fail(EXIT_REAPER, "poll", errno, "unexpected");
        now = monotonic_ms();
        if (fds[0].revents) break;
        if (fds[2].revents) {
            char discard[256];
            ssize_t got = (fds[2].revents & POLLIN) ? read(spec_fd, discard, sizeof discard) : 0;
            if (got <= 0 && !(got < 0 && errno == EINTR)) {
                /* The supervisor went away: nothing it started may outlive it. PID 1's death
                   ends its pid namespace; a cgroup, when there is one, is killed whole. */
                kill_cgroup(spec);
                kill(child, SIGKILL);
                lifeline = 0;
            }
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof info) == (ssize_t)sizeof info) {
                if (info.ssi_signo == SIGUSR1) {
                    kill(child, SIGKILL);
                } else {
                    report("terminated %u", info.ssi_signo);
                    kill(child, SIGTERM);
                    if (kill_at < 0) kill_at = now + spec->grace_ms;
                }
            }
        }
        if (term_at >= 0 && now >= term_at && !timed_out) {
            timed_out = 1;
            report("timed-out");
            kill(child, SIGTERM); /* PID 1 forwards it to every process in the namespace */
            kill_at = now + spec->grace_ms;
        }
        if (kill_at >= 0 && now >= kill_at) {
            kill_cgroup(spec);
            kill(child, SIGKILL);
            kill_at = -1;
            term_at = -1;
        }
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) fail(EXIT_REAPER, "waitpid", errno, "unexpected");
    }
    /* The worker tree's peak memory, from here: the supervisor's wait4 on this launcher also
       counts the supervisor's own peak, which every spawned process inherits in its maxrss. */
    struct rusage usage;
    if (getrusage(RUSAGE_CHILDREN, &usage) < 0) fail(EXIT_REAPER, "getrusage", errno, "unexpected");
    report("max-rss %ld", usage.ru_maxrss);
    if (timed_out) return EXIT_TIMEOUT;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    report("worker-signal %d", WTERMSIG(status));
    return 128 + WTERMSIG(status);
}

/* The supervisor's pid (--supervisor-pid): the parent the launcher must still have once its
   parent-death signal is armed. */
static pid_t parse_pid(const char *text) {
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (!*text || *end || value < 1 || value > 0x7fffffff) fail(EXIT_SPEC, "usage", EINVAL, "--supervisor-pid takes a pid");
    return (pid_t)value;
}

int main(int argc, char **argv) {
    /* Tied to the supervisor first of all (checked below, once fail() can report). */
    int early_deathsig = prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 ? errno : 0;
    int spec_fd = -1, prefork = 0;
    pid_t supervisor = 0;
    for (int index = 1; index < argc; index++) {
        if (strcmp(argv[index], "--spec-fd") == 0 && index + 1 < argc) spec_fd = parse_fd(argv[++index]);
        else if (strcmp(argv[index], "--supervisor-pid") == 0 && index + 1 < argc) supervisor = parse_pid(argv[++index]);
        else if (strcmp(argv[index], "--report-fd") == 0 && index + 1 < argc) report_fd = parse_fd(argv[++index]);
        else if (strcmp(argv[index], "--prefork") == 0) prefork = 1, setup_errors_on_stderr = 0;
        else if (strcmp(argv[index], "--version") == 0) {
            printf("partner-sandbox spec version %d\n", SPEC_VERSION);
            return 0;
        } else fail(EXIT_SPEC, "usage", EINVAL, "usage: partner-sandbox --spec-fd N [--report-fd M] [--supervisor-pid P] [--prefork]");
    }
    if (spec_fd < 0) fail(EXIT_SPEC, "usage", EINVAL, "usage: partner-sandbox --spec-fd N [--report-fd M] [--supervisor-pid P] [--prefork]");
    if (report_fd == spec_fd) fail(EXIT_SPEC, "usage", EINVAL, "the spec and report fds must differ");
    if (fcntl(spec_fd, F_SETFD, FD_CLOEXEC) < 0) fail(EXIT_SPEC, "usage", errno, "--spec-fd %d is not open", spec_fd);
    if (report_fd >= 0 && fcntl(report_fd, F_SETFD, FD_CLOEXEC) < 0) {
        int saved = errno;
        report_fd = -1;
        fail(EXIT_SPEC, "usage", saved, "--report-fd is not open");
    }
    close_other_fds(spec_fd, report_fd);
    if (early_deathsig) fail(EXIT_LIFELINE, "lifeline: PR_SET_PDEATHSIG", early_deathsig,
                             "without a parent-death signal a worker could outlive its supervisor");
    lifeline_arm(supervisor, -1, "start");

    /* The spec is read and parsed completely before anything else. With --prefork it is a
       prediction: the confinement the next call is expected to have, without the per-call
       records. Steps 1-3 run for it ahead of the call; the call's spec must then match it
       byte for byte (accept_call), or the launcher refuses the call and the supervisor
       starts one for it. */
    struct launch_spec spec;
    struct identity id;
    memset(&spec, 0, sizeof spec);
    memset(&id, 0, sizeof id);
    size_t spec_length = 0;
    char *spec_bytes = spec_read_bytes(spec_fd, &spec_length);
    char *predicted = NULL;
    size_t predicted_length = 0;
    struct root_snapshot *snapshot = NULL;
    if (prefork) {
        if (spec_length > PREFORK_MAX_SPEC) fail(EXIT_SPEC, "spec", E2BIG, "a preforked launcher takes specs up to 60 KiB");
        predicted = xcalloc(spec_length, 1);
        predicted_length = spec_confinement_bytes(spec_bytes, spec_length, predicted);
        spec_parse_prediction(spec_bytes, spec_length, &spec);
        if (spec.network == NETWORK_HOST || spec.cgroup)
            fail(EXIT_SPEC, "spec", EINVAL, "a preforked launcher has a private network and no cgroup; start one per call for this spec");
    } else {
        spec_parse(spec_bytes, spec_length, &spec);
    }
    if (spec.read_write.count > MAX_WRITABLE_ROOTS) fail(EXIT_SPEC, "spec", E2BIG, "at most 64 writable roots");
    id = choose_identity(&spec);
    if (prefork) snapshot = snapshot_roots(&spec);

    /* Step 1: namespaces. Signals the outer launcher handles are blocked before the
       clone so that none is lost; the child unblocks what it needs. */
    sigset_t handled, previous;
    sigemptyset(&handled);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGHUP);
    sigaddset(&handled, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &handled, &previous) < 0) fail(EXIT_NAMESPACES, "sigprocmask", errno, "unexpected");
    if (geteuid() == 0) {
        if (setgroups(0, NULL) < 0) fail(EXIT_NAMESPACES, "setgroups", errno, "unexpected");
        lifeline_arm(supervisor, -1, "setgroups"); /* a credential change: armed again */
    }
    /* PID 1's tie to this process: a pidfd it inherits and watches (its getppid() is 0). */
    int outer_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (outer_pidfd < 0) fail(EXIT_NAMESPACES, "pidfd_open", errno, "a kernel of 5.3 or later is needed");
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
        fail(EXIT_NAMESPACES, "socketpair", errno, "unexpected");
    int cgroup_fd = -1;
    if (spec.cgroup) {
        cgroup_fd = open(spec.cgroup, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0) fail(EXIT_LIMITS, "open cgroup", errno, "%s: the supervisor prepares it", spec.cgroup);
    }
    int pidfd = -1;
    struct clone_args arguments;
    memset(&arguments, 0, sizeof arguments);
    arguments.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP |
                      CLONE_PIDFD | (spec.network == NETWORK_HOST ? 0 : CLONE_NEWNET);
    arguments.pidfd = (uint64_t)(uintptr_t)&pidfd;
    arguments.exit_signal = SIGCHLD;
    if (cgroup_fd >= 0) {
        arguments.flags |= CLONE_INTO_CGROUP;
        arguments.cgroup = (uint64_t)cgroup_fd;
    }
    pid_t child = (pid_t)syscall(SYS_clone3, &arguments, sizeof arguments);
    if (child < 0) explain_clone_failure(errno);
    if (child == 0) {
        close(sockets[0]);
        if (cgroup_fd >= 0) close(cgroup_fd);
        child_main(&spec, sockets[1], spec_fd, outer_pidfd, predicted, predicted_length);
    }
    close(sockets[1]);
    if (cgroup_fd >= 0) close(cgroup_fd);
    close(outer_pidfd);
    report("pid %d", child);
    write_id_maps(child, &id);
    int idmapped[MAX_WRITABLE_ROOTS];
    size_t idmapped_count = 0;
    if (id.idmap) {
        char path[64];
        format_or_fail(path, sizeof path, EXIT_NAMESPACES, "open worker user namespace", "/proc/%d/ns/user", child);
        int userns_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (userns_fd < 0) fail(EXIT_NAMESPACES, "open worker user namespace", errno, "unexpected");
        for (size_t index = 0; index < spec.read_write.count; index++)
            idmapped[idmapped_count++] = mounts_idmapped_tree(spec.read_write.items[index], userns_fd);
        close(userns_fd);
    }
    hand_over(sockets[0], &id, idmapped, idmapped_count);
    for (size_t index = 0; index < idmapped_count; index++) close(idmapped[index]);
    if (prefork) {
        await_call(spec_fd, pidfd);
        accept_call(spec_fd, sockets[0], predicted, predicted_length, &id, snapshot, &spec);
    }
    close(sockets[0]);
    return supervise(child, pidfd, spec_fd, &spec);
}
