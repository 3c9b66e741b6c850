/* Step 5: PID 1 of the worker's pid namespace. It forks the payload, reaps every process
   that ends up as its child, forwards termination signals to the whole namespace, and
   when the payload ends it kills everything left (a daemon cannot outlive the call) and
   exits with the payload's status. It also watches the outer launcher's pidfd: when the outer
   launcher is gone (its supervisor died and took it along), PID 1 ends the namespace at once,
   a second tie beside its parent-death signal (lifeline.c). */
#include "launcher.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void ignore_signal(int number) { (void)number; }

/* Notes the limits a reaped process ran into, by the signal the kernel sent it. */
static void note_limit(int status, int *cpu_hit, int *file_size_hit) {
    if (!WIFSIGNALED(status)) return;
    if (WTERMSIG(status) == SIGXCPU) *cpu_hit = 1;
    if (WTERMSIG(status) == SIGXFSZ) *file_size_hit = 1;
}

static sigset_t waited;

void reaper_prepare(void) {
    /* PID 1 gets only signals it has a handler for: install one, block, and wait for them.
       Blocked before the payload is forked, so that no SIGCHLD is lost. */
    static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ignore_signal;
    for (size_t index = 0; index < sizeof forwarded / sizeof *forwarded; index++) {
        sigaddset(&waited, forwarded[index]);
        if (sigaction(forwarded[index], &action, NULL) < 0) fail(EXIT_REAPER, "sigaction", errno, "unexpected");
    }
    if (sigaction(SIGCHLD, &action, NULL) < 0) fail(EXIT_REAPER, "sigaction", errno, "unexpected");
    if (sigprocmask(SIG_BLOCK, &waited, NULL) < 0) fail(EXIT_REAPER, "sigprocmask", errno, "unexpected");
}

void reaper_run(pid_t payload, int outer_pidfd) {
    int payload_status = 0, payload_done = 0, cpu_hit = 0, file_size_hit = 0;
    int signal_fd = signalfd(-1, &waited, SFD_CLOEXEC);
    if (signal_fd < 0) fail(EXIT_REAPER, "signalfd", errno, "unexpected");
    while (!payload_done) {
        struct pollfd fds[2] = {{signal_fd, POLLIN, 0}, {outer_pidfd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            fail(EXIT_REAPER, "poll", errno, "unexpected");
        }
        if (fds[1].revents) {
            /* The outer launcher is gone: so is the supervisor. Nothing may live on. */
            kill(-1, SIGKILL);
            _exit(EXIT_LIFELINE);
        }
        struct signalfd_siginfo info;
        ssize_t got = read(signal_fd, &info, sizeof info);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got != (ssize_t)sizeof info) fail(EXIT_REAPER, "read signalfd", got < 0 ? errno : EIO, "unexpected");
        int number = (int)info.ssi_signo;
        if (number != SIGCHLD) {
            kill(-1, number); /* every process in the namespace but PID 1 itself */
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            note_limit(status, &cpu_hit, &file_size_hit);
            if (pid == payload) {
                payload_status = status;
                payload_done = 1;
            }
        }
    }
    /* The payload is done: nothing else in the namespace may live on. */
    kill(-1, SIGKILL);
    int status;
    while (waitpid(-1, &status, 0) > 0) note_limit(status, &cpu_hit, &file_size_hit);
    if (cpu_hit) report("limit-hit cpu");
    if (file_size_hit) report("limit-hit file-size");
    if (WIFSIGNALED(payload_status)) {
        report("signal %d", WTERMSIG(payload_status));
        _exit(128 + WTERMSIG(payload_status));
    }
    report("exit %d", WEXITSTATUS(payload_status));
    _exit(WEXITSTATUS(payload_status));
}
