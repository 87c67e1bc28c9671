// Records which pages of a program's code it runs, in the order it first runs them, for
// scripts/layout/gen-order.sh. Loaded with LD_PRELOAD into the program named by PAGETRACE_EXE (other
// programs, such as the children it spawns, are left alone and do not inherit it): makes the program's
// executable segment inaccessible before the program's own initialisers run, and on each fault on it
// appends the offset (hex) of the address it faulted on to PAGETRACE_OUT and makes that page executable again.
#define _GNU_SOURCE
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE ((uintptr_t)4096)

static int out = -1;
static uintptr_t text_start, text_end;

static void record(uintptr_t offset) {
    char line[17];
    for (int i = 0; i < 16; i++) line[i] = "0123456789abcdef"[(offset >> (60 - 4 * i)) & 15];
    line[16] = '\n';
    (void)!write(out, line, sizeof line);
}

static void on_fault(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    if (address < text_start || address >= text_end) {
        // A real fault: let it kill the program as it would have.
        sigaction(signal_number, &(struct sigaction){.sa_handler = SIG_DFL}, NULL);
        return;
    }
    uintptr_t page = address & ~(PAGE - 1);
    record(address - text_start);
    mprotect((void *)page, PAGE, PROT_READ | PROT_EXEC);
}

static int find_text(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size, (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[i];
        if (header->p_type == PT_LOAD && (header->p_flags & PF_X)) {
            uintptr_t start = info->dlpi_addr + header->p_vaddr;
            text_start = (start + PAGE - 1) & ~(PAGE - 1);
            text_end = (start + header->p_memsz) & ~(PAGE - 1);
            break;
        }
    }
    return 1;  // the first object is the program itself
}

__attribute__((constructor)) static void start_tracing(void) {
    const char *program = getenv("PAGETRACE_EXE"), *path = getenv("PAGETRACE_OUT");
    char self[4096];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    unsetenv("LD_PRELOAD");
    if (!program || !path || length <= 0) return;
    self[length] = 0;
    if (strcmp(self, program) != 0) return;
    out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    dl_iterate_phdr(find_text, NULL);
    if (out < 0 || text_end <= text_start) return;
    struct sigaction action = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigaction(SIGSEGV, &action, NULL);
    mprotect((void *)text_start, text_end - text_start, PROT_NONE);
}
