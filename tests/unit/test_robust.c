/* test_robust.c - the core's promises on bad input and output safety
 * (docs/robustness.md): alinea_text_decode on a table of hostile byte
 * strings, and alinea_out (temporary file + rename) on success, abort,
 * write errors, devices, symbolic links and permissions. Public API only. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alinea.h"
#include "alinea_text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ decoding */

struct decode_case {
    const char *name;
    const char *bytes;
    size_t len;
    unsigned flags;
    alinea_status status;
    const char *out;     /* expected UTF-8 on success */
    const char *message; /* a substring of the error or warning */
};

#define B(s) s, sizeof(s) - 1

static const struct decode_case decode_cases[] = {
    {"plain", B("Bonjour.\n"), 0, ALINEA_OK, "Bonjour.\n", NULL},
    {"empty", B(""), 0, ALINEA_OK, "", NULL},
    {"utf8 bom dropped", B("\xEF\xBB\xBFHi"), 0, ALINEA_OK, "Hi", NULL},
    {"utf16le bom", B("\xFF\xFEH\0i\0"), 0, ALINEA_OK, "Hi", NULL},
    {"utf16be bom", B("\xFE\xFF\0H\0i"), 0, ALINEA_OK, "Hi", NULL},
    {"crlf kept, lone cr to lf", B("a\r\nb\rc\n"), 0, ALINEA_OK, "a\r\nb\nc\n", NULL},
    {"latin1 line 2", B("ok\nl\xE9t\xE9\n"), 0, ALINEA_ERR_ENCODING, NULL, "t.txt:2: byte 2: invalid UTF-8 (0xE9)"},
    {"latin1 lenient", B("l\xE9t\xE9"), ALINEA_TEXT_LENIENT, ALINEA_OK, "l\xEF\xBF\xBDt\xEF\xBF\xBD",
     "t.txt:1: byte 2: 2 invalid UTF-8 sequence(s) replaced with U+FFFD"},
    {"overlong slash", B("a\xC0\xAF"), 0, ALINEA_ERR_ENCODING, NULL, "byte 2"},
    {"surrogate in utf8", B("\xED\xA0\x80"), 0, ALINEA_ERR_ENCODING, NULL, "byte 1"},
    {"truncated sequence", B("ab\xE2\x82"), 0, ALINEA_ERR_ENCODING, NULL, "byte 3"},
    {"above U+10FFFF", B("\xF4\x90\x80\x80"), 0, ALINEA_ERR_ENCODING, NULL, "invalid UTF-8"},
    {"nul byte", B("ab\ncd\0e"), 0, ALINEA_ERR_ENCODING, NULL, "t.txt:2: byte 3: NUL byte"},
    {"nul even lenient", B("a\0b"), ALINEA_TEXT_LENIENT, ALINEA_ERR_ENCODING, NULL, "NUL byte"},
    {"utf16le no bom", B("H\0e\0l\0l\0o\0.\0"), 0, ALINEA_ERR_ENCODING, NULL, "-f UTF-16LE"},
    {"utf16be no bom", B("\0H\0e\0l\0l\0o\0."), 0, ALINEA_ERR_ENCODING, NULL, "-f UTF-16BE"},
    {"binary", B("\x7F" "ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0"), 0, ALINEA_ERR_ENCODING, NULL, "binary file"},
    {"utf16 lone surrogate", B("\xFF\xFE\x00\xD8" "a\0"), 0, ALINEA_ERR_ENCODING, NULL, "UTF-16LE"},
    {"utf16 odd length", B("\xFF\xFE" "a\0b"), 0, ALINEA_ERR_ENCODING, NULL, "odd number of bytes"},
    {"utf16 with U+0000", B("\xFF\xFE" "a\0\0\0"), 0, ALINEA_ERR_ENCODING, NULL, "U+0000"},
};

static char warning[1024];

static void on_warning(void *ud, const char *msg)
{
    (void)ud;
    snprintf(warning, sizeof warning, "%s", msg);
}

static void test_decode_table(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    alinea_ctx_set_warning_handler(ctx, on_warning, NULL);
    for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
        const struct decode_case *c = &decode_cases[i];
        char *out = (char *)1;
        size_t len = 99;
        warning[0] = '\0';
        alinea_status st = alinea_text_decode(ctx, "t.txt", c->bytes, c->len, c->flags, &out, &len);
        if (st != c->status)
            fail_msg("%s: status %d, expected %d (%s)", c->name, st, c->status, alinea_ctx_errmsg(ctx));
        if (st == ALINEA_OK) {
            assert_non_null(out);
            if (len != strlen(c->out) || memcmp(out, c->out, len) != 0 || out[len] != '\0')
                fail_msg("%s: wrong output (%zu bytes)", c->name, len);
            if (c->message && !strstr(warning, c->message))
                fail_msg("%s: warning \"%s\" lacks \"%s\"", c->name, warning, c->message);
        } else {
            if (out != NULL || len != 0)
                fail_msg("%s: output on error", c->name);
            if (c->message && !strstr(alinea_ctx_errmsg(ctx), c->message))
                fail_msg("%s: message \"%s\" lacks \"%s\"", c->name, alinea_ctx_errmsg(ctx), c->message);
        }
        alinea_free(out);
    }
    alinea_ctx_free(ctx);
}

/* ------------------------------------------------------------ outputs */

struct fixture {
    alinea_ctx *ctx;
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || alinea_ctx_new(&f->ctx) != ALINEA_OK)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/alinea-robust-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/out.txt", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(f->dir);
    alinea_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static int equals(const char *path, const char *text)
{
    char buf[256] = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    return n == strlen(text) && memcmp(buf, text, n) == 0;
}

/* Number of entries in dir besides . and .. */
static int entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void test_out_commit_replaces(void **state)
{
    struct fixture *f = *state;
    put(f->path, "old\n");
    chmod(f->path, 0640);
    alinea_out *o = NULL;
    assert_int_equal(alinea_out_open(f->ctx, f->path, &o), ALINEA_OK);
    fputs("new\n", alinea_out_stream(o));
    assert_true(equals(f->path, "old\n")); /* nothing visible before commit */
    assert_int_equal(entries(f->dir), 2);   /* the target and the temporary file */
    assert_int_equal(alinea_out_commit(o), ALINEA_OK);
    assert_true(equals(f->path, "new\n"));
    assert_int_equal(entries(f->dir), 1);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* permissions kept */
}

static void test_out_abort_keeps_old(void **state)
{
    struct fixture *f = *state;
    put(f->path, "old\n");
    alinea_out *o = NULL;
    assert_int_equal(alinea_out_open(f->ctx, f->path, &o), ALINEA_OK);
    fputs("half a fi", alinea_out_stream(o));
    alinea_out_abort(o);
    alinea_out_abort(NULL);
    assert_true(equals(f->path, "old\n"));
    assert_int_equal(entries(f->dir), 1);
}

static void test_out_write_error_keeps_old(void **state)
{
    struct fixture *f = *state;
    put(f->path, "old\n");
    alinea_out *o = NULL;
    assert_int_equal(alinea_out_open(f->ctx, f->path, &o), ALINEA_OK);
    FILE *s = alinea_out_stream(o);
    fputs("new\n", s);
    /* A read on a write-only stream sets its error flag, as a failed write does. */
    (void)fgetc(s);
    assert_true(ferror(s));
    assert_int_equal(alinea_out_commit(o), ALINEA_ERR_IO);
    assert_non_null(strstr(alinea_ctx_errmsg(f->ctx), "(the file was not changed)"));
    assert_true(equals(f->path, "old\n"));
    assert_int_equal(entries(f->dir), 1);
}

static void test_out_symlink_followed(void **state)
{
    struct fixture *f = *state;
    char real[160], lnk[160];
    snprintf(real, sizeof real, "%s/real.txt", f->dir);
    snprintf(lnk, sizeof lnk, "%s/link.txt", f->dir);
    put(real, "old\n");
    assert_int_equal(symlink("real.txt", lnk), 0);
    alinea_out *o = NULL;
    assert_int_equal(alinea_out_open(f->ctx, lnk, &o), ALINEA_OK);
    fputs("new\n", alinea_out_stream(o));
    assert_int_equal(alinea_out_commit(o), ALINEA_OK);
    struct stat st;
    assert_int_equal(lstat(lnk, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* still a link */
    assert_true(equals(real, "new\n"));
    assert_true(alinea_same_file(lnk, real));
}

static void test_out_device_written_directly(void **state)
{
    struct fixture *f = *state;
    struct stat before, after;
    assert_int_equal(stat("/dev/null", &before), 0);
    alinea_out *o = NULL;
    assert_int_equal(alinea_out_open(f->ctx, "/dev/null", &o), ALINEA_OK);
    fputs("discarded\n", alinea_out_stream(o));
    assert_int_equal(alinea_out_commit(o), ALINEA_OK);
    assert_int_equal(stat("/dev/null", &after), 0);
    assert_true(S_ISCHR(after.st_mode));
    assert_true(before.st_ino == after.st_ino);
    if (stat("/dev/full", &before) == 0 && S_ISCHR(before.st_mode)) {
        assert_int_equal(alinea_out_open(f->ctx, "/dev/full", &o), ALINEA_OK);
        fputs("no room\n", alinea_out_stream(o));
        assert_int_equal(alinea_out_commit(o), ALINEA_ERR_IO);
        assert_non_null(strstr(alinea_ctx_errmsg(f->ctx), "No space left on device"));
        assert_int_equal(stat("/dev/full", &after), 0);
        assert_true(S_ISCHR(after.st_mode));
    }
}

static void test_out_bad_targets(void **state)
{
    struct fixture *f = *state;
    alinea_out *o = (alinea_out *)1;
    char p[160];
    assert_int_equal(alinea_out_open(f->ctx, f->dir, &o), ALINEA_ERR_IO); /* a directory */
    assert_null(o);
    assert_non_null(strstr(alinea_ctx_errmsg(f->ctx), "is a directory"));
    snprintf(p, sizeof p, "%s/missing/out.txt", f->dir);
    assert_int_equal(alinea_out_open(f->ctx, p, &o), ALINEA_ERR_IO);
    assert_null(o);
    assert_non_null(strstr(alinea_ctx_errmsg(f->ctx), "cannot create output"));
    assert_int_equal(entries(f->dir), 0);
}

static void test_same_file(void **state)
{
    struct fixture *f = *state;
    char hard[160], other[160];
    put(f->path, "x");
    snprintf(hard, sizeof hard, "%s/hard.txt", f->dir);
    snprintf(other, sizeof other, "%s/other.txt", f->dir);
    put(other, "x");
    assert_true(alinea_same_file(f->path, f->path));
    assert_false(alinea_same_file(f->path, other)); /* same bytes, another file */
    assert_false(alinea_same_file(f->path, "/nonexistent/x"));
    assert_false(alinea_same_file(NULL, f->path));
    if (link(f->path, hard) == 0)
        assert_true(alinea_same_file(f->path, hard));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test_setup_teardown(test_out_commit_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_abort_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_write_error_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_symlink_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_device_written_directly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_bad_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
