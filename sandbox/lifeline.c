/* The launcher's ties to its supervisor: nothing it starts may outlive it (docs/sandbox.md,
   "How long a worker lives").

   Three ties, each enough on its own for the case it covers:
   - the outer launcher: PR_SET_PDEATHSIG(SIGKILL) tied to the supervisor's thread that
     spawned it, armed first thing and checked against the supervisor's pid (--supervisor-pid)
     so that a supervisor that died before the prctl is noticed; and the spec socket, whose
     hang-up (supervise, await_call) means the supervisor is gone;
   - PID 1: PR_SET_PDEATHSIG(SIGKILL) tied to the (single-threaded) outer launcher, re-armed
     after every credential change, because the kernel clears it on each (prctl(2)), and
     checked against a pidfd of the outer launcher (PID 1 of a new pid namespace always sees
     getppid() == 0, so only the pidfd can tell); the reaper also watches that pidfd;
   - the payload and everything it starts: PID 1 of their pid namespace; when it dies the
     kernel kills every process in the namespace. */
#include "launcher.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

int lifeline_parent_gone(int parent_pidfd) {
    struct pollfd parent = {parent_pidfd, POLLIN, 0};
    int ready;
    do ready = poll(&parent, 1, 0);
    while (ready < 0 && errno == EINTR);
    if (ready < 0) fail(EXIT_LIFELINE, "lifeline: poll", errno, "watching the outer launcher's pidfd");
    return ready > 0;
}

void lifeline_arm(pid_t expected_parent, int parent_pidfd, const char *after) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail(EXIT_LIFELINE, "lifeline: PR_SET_PDEATHSIG", errno,
             "after %s: without a parent-death signal a worker could outlive its supervisor", after);
    /* The signal only comes for a parent that dies from now on: one already gone sent none. */
    if (expected_parent > 0 && getppid() != expected_parent)
        fail(EXIT_LIFELINE, "lifeline", ESRCH, "after %s: the supervisor (pid %d) is gone; nothing may run without it",
             after, (int)expected_parent);
    if (parent_pidfd >= 0 && lifeline_parent_gone(parent_pidfd))
        fail(EXIT_LIFELINE, "lifeline", ESRCH, "after %s: the outer launcher is gone; nothing may run without it", after);
}
