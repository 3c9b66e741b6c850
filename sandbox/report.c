/* How the launcher tells what happened: human text on stderr, one structured line per
   event on the report fd (protocol in docs/sandbox.md). */
#include "launcher.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int report_fd = -1;
int setup_errors_on_stderr = 1;

void report(const char *format, ...) {
    if (report_fd < 0) return;
    char line[1024];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof line - 1, format, arguments);
    va_end(arguments);
    if (length < 0) return;
    if ((size_t)length > sizeof line - 2) length = sizeof line - 2;
    line[length++] = '\n';
    (void)write_all(report_fd, line, (size_t)length);
}

void fail(int code, const char *stage, int err, const char *hint, ...) {
    char hint_text[600];
    va_list arguments;
    va_start(arguments, hint);
    vsnprintf(hint_text, sizeof hint_text, hint, arguments);
    va_end(arguments);
    for (char *c = hint_text; *c; c++) if (*c == '\n') *c = ' ';
    char message[900];
    if (err) snprintf(message, sizeof message, "%s: %s: %s", stage, strerror(err), hint_text);
    else snprintf(message, sizeof message, "%s: %s", stage, hint_text);
    char line[1000];
    int length = snprintf(line, sizeof line, "partner-sandbox: %s\n", message);
    int payload_error = code == EXIT_NOT_EXECUTABLE || code == EXIT_NOT_FOUND; /* the command's own, for its caller */
    if (length > 0 && (setup_errors_on_stderr || payload_error))
        (void)write_all(STDERR_FILENO, line, (size_t)length < sizeof line ? (size_t)length : sizeof line - 1);
    report("setup-error %d %s", code, message);
    _exit(code);
}
