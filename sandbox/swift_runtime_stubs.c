/* The Swift driver links swiftrt.o into every executable it links, this C one included;
   swiftrt.o registers the image with the Swift runtime. The launcher contains no Swift:
   these two no-op definitions satisfy swiftrt.o, so the linker pulls nothing from the
   static Swift runtime (megabytes of code and constructors) into the launcher. */
#include <stdbool.h>

void swift_addNewDSOImage(const void *sections);
bool _swift_backtrace_isThunkFunction(const char *name);

void swift_addNewDSOImage(const void *sections) { (void)sections; }
bool _swift_backtrace_isThunkFunction(const char *name) {
    (void)name;
    return false;
}
