/* Step 4: resource limits, set by the payload right before execve (6i), so that a launcher
   prepared ahead applies the call's own limits. Cgroup placement, when the supervisor could prepare a cgroup,
   already happened atomically in clone3 (CLONE_INTO_CGROUP). The rlimits here always apply,
   so limits hold also where cgroups are not delegated. RLIMIT_NPROC is counted per user
   namespace and uid, so it bounds this worker's own processes. */
#include "launcher.h"

#include <errno.h>
#include <sys/resource.h>

static const int resources[LIMIT_KIND_COUNT] = {RLIMIT_CPU, RLIMIT_AS, RLIMIT_NPROC, RLIMIT_FSIZE, RLIMIT_NOFILE};
static const char *const names[LIMIT_KIND_COUNT] = {"RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE"};

void limits_apply(const struct launch_spec *spec) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) < 0) fail(EXIT_LIMITS, "setrlimit RLIMIT_CORE", errno, "unexpected");
    for (int kind = 0; kind < LIMIT_KIND_COUNT; kind++) {
        if (!spec->limit_set[kind]) continue;
        struct rlimit limit = {spec->limit_value[kind], spec->limit_value[kind]};
        /* CPU: the soft limit sends SIGXCPU (which the reaper notes), the hard one a second
           later SIGKILL; equal limits would skip straight to SIGKILL. */
        if (kind == LIMIT_CPU && limit.rlim_max != RLIM_INFINITY) limit.rlim_max += 1;
        if (setrlimit(resources[kind], &limit) < 0) {
            int saved = errno;
            struct rlimit current;
            if (getrlimit(resources[kind], &current) < 0) fail(EXIT_LIMITS, names[kind], errno, "reading the inherited limit");
            /* A limit above the inherited hard limit cannot be raised; keep the lower one. */
            if (saved == EPERM && current.rlim_max != RLIM_INFINITY && current.rlim_max < limit.rlim_max) {
                limit.rlim_cur = limit.rlim_max = current.rlim_max;
                if (setrlimit(resources[kind], &limit) == 0) continue;
            }
            fail(EXIT_LIMITS, names[kind], saved, "the limit may exceed the hard limit inherited from the supervisor");
        }
    }
}
