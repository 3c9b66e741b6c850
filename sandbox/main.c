/* partner-sandbox: the confined-worker launcher. See docs/sandbox.md.
   This file is filled in by the sandbox work; for now it only builds and refuses to run,
   so that nothing can mistake it for a working sandbox. */
#include <stdio.h>

int main(void) {
    fputs("partner-sandbox: not built yet; refusing to run anything\n", stderr);
    return 70; /* EX_SOFTWARE */
}
