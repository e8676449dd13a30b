/*
 * faultinject.c - LD_PRELOAD fault injector for torture tests (curl's
 * "torture" and jq's inject_errors.c ideas): make the Nth allocation, or the
 * Nth file open, read or write, fail, and check that alinea stops with a
 * clean error, no leak and no partial output (tests/torture/run.sh).
 *
 * Environment:
 *   FAULT_KIND   malloc | open | read | write   (unset: count only)
 *   FAULT_N      the 1-based call of that kind that fails (later calls succeed)
 *   FAULT_SCOPE  own (default): count only allocations made from the main
 *                executable (alinea and the static libalinea), as curl's
 *                memdebug does, and only file operations made from it or
 *                from libxml2 (which reads and writes TMX for it); all:
 *                count calls from ICU, hunspell, libstdc++ and libc too.
 *   FAULT_COUNT  a file that receives "malloc=A open=B read=C write=D" at
 *                exit: how many calls of each kind were counted.
 *   FAULT_LOG    a file that receives "fired KIND N" when the fault fires.
 *   FAULT_PROG   when set, only a process of that name (e.g. "alinea") is
 *                affected: not valgrind's launcher nor the shell.
 *
 * Kinds:
 *   malloc  malloc, calloc, realloc (returns NULL, errno ENOMEM)
 *   open    fopen, fopen64, fdopen, open, open64, openat, mkstemp (EACCES)
 *   read    read, fread, fgets, fgetc, getc, getline, getdelim (EIO)
 *   write   write, fwrite, fputs, fputc, putc, puts, putchar, fprintf,
 *           vfprintf, printf, fflush, fsync, rename (ENOSPC); standard
 *           error is never failed, so that error messages stay visible.
 * A failed stdio call also sets the stream's error flag, as a real I/O error
 * does (glibc's _IO_ERR_SEEN).
 *
 * Linux/glibc only: every real function is reached through dlsym(RTLD_NEXT).
 * Preload liblsan.so after this library to have LeakSanitizer check that
 * error paths free everything.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The next allocator: glibc's, or LeakSanitizer's when liblsan.so is
 * preloaded after this library (tests/torture/run.sh does that to find
 * leaks on error paths). dlsym itself allocates: a small static arena serves
 * those calls while the symbols are being resolved. */
static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);
static _Alignas(16) char boot[4096];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > sizeof boot - boot_used)
        return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p;
}

static int in_boot(const void *p)
{
    return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void resolve_allocator(void)
{
    if (next_malloc || resolving)
        return;
    resolving = 1;
    next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    next_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    resolving = 0;
}

enum { K_MALLOC, K_OPEN, K_READ, K_WRITE, K_COUNT };
static const char *const kind_names[K_COUNT] = {"malloc", "open", "read", "write"};

static int fail_kind = -1;
static unsigned long fail_n;
static int scope_all;
static unsigned long counts[K_COUNT];
static int active; /* set once the constructor has run */
static uintptr_t exe_lo, exe_hi;
static char *count_path, *log_path;

/* Code of the sanitizer runtime and of the dynamic loader is never failed:
 * those are the test harness, not the code under test. */
static uintptr_t skip_lo[4], skip_hi[4];
static uintptr_t xml_lo, xml_hi; /* libxml2: reads and writes TMX for alinea */
static int nskip;

static void text_range(struct dl_phdr_info *info, uintptr_t *lo, uintptr_t *hi)
{
    *lo = *hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr, b = a + ph->p_memsz;
        if (!*lo || a < *lo)
            *lo = a;
        if (b > *hi)
            *hi = b;
    }
}

static int find_objects(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    int *first = data;
    if (*first) { /* the first object reported is the main program */
        text_range(info, &exe_lo, &exe_hi);
        *first = 0;
        return 0;
    }
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    if (strstr(name, "libxml2"))
        text_range(info, &xml_lo, &xml_hi);
    if ((strstr(name, "lsan") || strstr(name, "asan") || strstr(name, "ld-linux")) && nskip < 4) {
        text_range(info, &skip_lo[nskip], &skip_hi[nskip]);
        nskip++;
    }
    return 0;
}

static int harness_caller(uintptr_t c)
{
    for (int i = 0; i < nskip; i++)
        if (c >= skip_lo[i] && c < skip_hi[i])
            return 1;
    return 0;
}

static char *env_copy(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return NULL;
    size_t n = strlen(v) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, v, n);
    return c;
}

__attribute__((constructor)) static void fault_init(void)
{
    const char *prog = getenv("FAULT_PROG");
    if (prog && *prog && strcmp(prog, program_invocation_short_name) != 0)
        return; /* another process (valgrind's launcher, a shell): stay inactive */
    const char *k = getenv("FAULT_KIND");
    for (int i = 0; k && i < K_COUNT; i++)
        if (strcmp(k, kind_names[i]) == 0)
            fail_kind = i;
    const char *n = getenv("FAULT_N");
    fail_n = n ? strtoul(n, NULL, 10) : 0;
    const char *s = getenv("FAULT_SCOPE");
    scope_all = s && strcmp(s, "all") == 0;
    count_path = env_copy("FAULT_COUNT");
    log_path = env_copy("FAULT_LOG");
    int first = 1;
    dl_iterate_phdr(find_objects, &first);
    active = 1;
}

static ssize_t raw_write(int fd, const void *p, size_t n);

static void append_line(const char *path, const char *line)
{
    static int (*real_open)(const char *, int, ...);
    if (!real_open)
        real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    int fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return;
    raw_write(fd, line, strlen(line));
    close(fd);
}

__attribute__((destructor)) static void fault_fini(void)
{
    if (!count_path)
        return;
    char line[256];
    snprintf(line, sizeof line, "malloc=%lu open=%lu read=%lu write=%lu\n", counts[K_MALLOC],
             counts[K_OPEN], counts[K_READ], counts[K_WRITE]);
    active = 0;
    append_line(count_path, line);
}

/* Calls are counted from the start of main(): what the loader and the
 * sanitizer runtime do before it is the harness, not the code under test. */
static int in_main;
static int (*real_main)(int, char **, char **);

static int main_wrapper(int argc, char **argv, char **envp)
{
    in_main = 1;
    return real_main(argc, argv, envp);
}

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end);
int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
    int (*next)(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void),
                void (*)(void), void *) =
        (int (*)(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void),
                 void (*)(void), void *))dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return next(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}

/* Count one call of kind from caller; 1 when this call must fail. */
static int hit(int kind, const void *caller)
{
    if (!active || !in_main)
        return 0;
    uintptr_t c0 = (uintptr_t)caller;
    int own = c0 >= exe_lo && c0 < exe_hi;
    if (!scope_all && kind == K_MALLOC && !own)
        return 0;
    if (!scope_all && kind != K_MALLOC && !own && !(c0 >= xml_lo && c0 < xml_hi))
        return 0;
    if (harness_caller((uintptr_t)caller))
        return 0;
    unsigned long c = ++counts[kind];
    if (kind != fail_kind || c != fail_n)
        return 0;
    if (log_path) {
        char line[512];
        Dl_info di;
        const char *obj = "?", *sym = "?";
        if (dladdr(caller, &di)) {
            obj = di.dli_fname ? di.dli_fname : "?";
            sym = di.dli_sname ? di.dli_sname : "?";
        }
        snprintf(line, sizeof line, "fired %s %lu from %s (%s)\n", kind_names[kind], c, sym, obj);
        int was = active;
        active = 0;
        append_line(log_path, line);
        active = was;
    }
    return 1;
}

#define CALLER __builtin_return_address(0)
#define REAL(ret, name, args)                                                                      \
    static ret(*real_##name) args;                                                                 \
    if (!real_##name)                                                                              \
        real_##name = (ret(*) args)dlsym(RTLD_NEXT, #name)

static void set_error(FILE *f)
{
#ifdef _IO_ERR_SEEN
    if (f)
        f->_flags |= _IO_ERR_SEEN;
#else
    if (f)
        f->_flags |= 0x20;
#endif
}

/* ------------------------------------------------------------ memory */

void *malloc(size_t n)
{
    resolve_allocator();
    if (!next_malloc)
        return boot_alloc(n);
    if (hit(K_MALLOC, CALLER)) {
        errno = ENOMEM;
        return NULL;
    }
    return next_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    resolve_allocator();
    if (!next_calloc)
        return (b && a > SIZE_MAX / b) ? NULL : boot_alloc(a * b); /* static: zeroed */
    if (hit(K_MALLOC, CALLER)) {
        errno = ENOMEM;
        return NULL;
    }
    return next_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    resolve_allocator();
    if (!next_realloc || in_boot(p)) {
        void *q = next_malloc ? next_malloc(n) : boot_alloc(n);
        if (q && p)
            memcpy(q, p, n < (size_t)(boot + sizeof boot - (char *)p) ? n : (size_t)(boot + sizeof boot - (char *)p));
        return q;
    }
    if (n && hit(K_MALLOC, CALLER)) {
        errno = ENOMEM;
        return NULL;
    }
    return next_realloc(p, n);
}

void free(void *p)
{
    if (!p || in_boot(p))
        return;
    resolve_allocator();
    if (next_free)
        next_free(p);
}

/* ------------------------------------------------------------- opens */

FILE *fopen(const char *path, const char *mode)
{
    REAL(FILE *, fopen, (const char *, const char *));
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return NULL;
    }
    return real_fopen(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    REAL(FILE *, fopen64, (const char *, const char *));
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return NULL;
    }
    return real_fopen64(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
    REAL(FILE *, fdopen, (int, const char *));
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return NULL;
    }
    return real_fdopen(fd, mode);
}

int mkstemp(char *tmpl)
{
    REAL(int, mkstemp, (char *));
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return -1;
    }
    return real_mkstemp(tmpl);
}

static mode_t open_mode(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    REAL(int, open, (const char *, int, ...));
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return -1;
    }
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    REAL(int, open64, (const char *, int, ...));
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return -1;
    }
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(int, openat, (int, const char *, int, ...));
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (hit(K_OPEN, CALLER)) {
        errno = EACCES;
        return -1;
    }
    return real_openat(dirfd, path, flags, mode);
}

/* ------------------------------------------------------------- reads */

ssize_t read(int fd, void *p, size_t n)
{
    REAL(ssize_t, read, (int, void *, size_t));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        return -1;
    }
    return real_read(fd, p, n);
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
    REAL(size_t, fread, (void *, size_t, size_t, FILE *));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        set_error(f);
        return 0;
    }
    return real_fread(p, size, n, f);
}

char *fgets(char *s, int n, FILE *f)
{
    REAL(char *, fgets, (char *, int, FILE *));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        set_error(f);
        return NULL;
    }
    return real_fgets(s, n, f);
}

int fgetc(FILE *f)
{
    REAL(int, fgetc, (FILE *));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        set_error(f);
        return EOF;
    }
    return real_fgetc(f);
}

int getc(FILE *f)
{
    REAL(int, getc, (FILE *));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        set_error(f);
        return EOF;
    }
    return real_getc(f);
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    REAL(ssize_t, getdelim, (char **, size_t *, int, FILE *));
    if (hit(K_READ, CALLER)) {
        errno = EIO;
        set_error(f);
        return -1;
    }
    return real_getdelim(line, cap, delim, f);
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
    return getdelim(line, cap, '\n', f);
}

/* ------------------------------------------------------------ writes */

static int is_stderr(FILE *f) { return f == stderr; }

static ssize_t raw_write(int fd, const void *p, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    return real(fd, p, n);
}

ssize_t write(int fd, const void *p, size_t n)
{
    if (fd != 2 && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        return -1;
    }
    return raw_write(fd, p, n);
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    REAL(size_t, fwrite, (const void *, size_t, size_t, FILE *));
    if (!is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return 0;
    }
    return real_fwrite(p, size, n, f);
}

int fputs(const char *s, FILE *f)
{
    REAL(int, fputs, (const char *, FILE *));
    if (!is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return EOF;
    }
    return real_fputs(s, f);
}

int fputc(int c, FILE *f)
{
    REAL(int, fputc, (int, FILE *));
    if (!is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return EOF;
    }
    return real_fputc(c, f);
}

int putc(int c, FILE *f)
{
    REAL(int, putc, (int, FILE *));
    if (!is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return EOF;
    }
    return real_putc(c, f);
}

int putchar(int c) { return putc(c, stdout); }

int puts(const char *s)
{
    if (fputs(s, stdout) == EOF)
        return EOF;
    return putc('\n', stdout) == EOF ? EOF : 1;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    REAL(int, vfprintf, (FILE *, const char *, va_list));
    if (!is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return -1;
    }
    return real_vfprintf(f, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int __printf_chk(int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(f, fmt, ap);
}

int fflush(FILE *f)
{
    REAL(int, fflush, (FILE *));
    if (f && !is_stderr(f) && hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        set_error(f);
        return EOF;
    }
    return real_fflush(f);
}

int fsync(int fd)
{
    REAL(int, fsync, (int));
    if (hit(K_WRITE, CALLER)) {
        errno = EIO;
        return -1;
    }
    return real_fsync(fd);
}

int rename(const char *from, const char *to)
{
    REAL(int, rename, (const char *, const char *));
    if (hit(K_WRITE, CALLER)) {
        errno = ENOSPC;
        return -1;
    }
    return real_rename(from, to);
}
