/* test_core.c - status strings, language tags, text decoding, safe output. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alinea.h"
#include "alinea_text.h"

static void test_lang_normalize(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"fr", "fr"}, {"FR", "fr"}, {"fr_FR", "fr-FR"}, {"en-us", "en-US"}, {"nl_BE", "nl-BE"},
        {"pt-BR", "pt-BR"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(alinea_lang_normalize(cases[i].in, buf, sizeof buf), ALINEA_OK);
        assert_string_equal(buf, cases[i].out);
    }
    assert_int_equal(alinea_lang_normalize("", buf, sizeof buf), ALINEA_ERR_INVALID);
    assert_int_equal(alinea_lang_normalize("f r", buf, sizeof buf), ALINEA_ERR_INVALID);
    assert_int_equal(alinea_lang_normalize("fr-FR", buf, 3), ALINEA_ERR_TOO_BIG);
}

static void test_lang_from_path(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"article.en.txt", "en"}, {"en.txt", "en"}, {"fr.sent", "fr"}, {"corpus/nl.txt", "nl"},
        {"dir.x/de-DE.txt", "de-DE"}, {"a/b/report.fr.tmx", "fr"}, {"nl", "nl"},
        {"EN.txt", "en"}, {"notes.Fr.txt", "fr"}, {"NL_be.txt", "nl-BE"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(alinea_lang_from_path(cases[i].in, buf, sizeof buf), ALINEA_OK);
        assert_string_equal(buf, cases[i].out);
    }
    assert_int_equal(alinea_lang_from_path("article.txt", buf, sizeof buf), ALINEA_ERR_INVALID);
    assert_int_equal(alinea_lang_from_path("notes", buf, sizeof buf), ALINEA_ERR_INVALID);
}

static void test_decode(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    char *out;
    size_t len;
    /* UTF-8 BOM dropped. */
    assert_int_equal(alinea_text_decode(ctx, "a", "\xEF\xBB\xBFOui.", 7, 0, &out, &len), ALINEA_OK);
    assert_int_equal(len, 4);
    assert_string_equal(out, "Oui.");
    alinea_free(out);
    /* UTF-16LE with BOM: "é\n" */
    assert_int_equal(alinea_text_decode(ctx, "a", "\xFF\xFE\xE9\x00\x0A\x00", 6, 0, &out, &len), ALINEA_OK);
    assert_string_equal(out, "\xC3\xA9\n");
    alinea_free(out);
    /* Invalid UTF-8 on line 2, byte 3. */
    assert_int_equal(alinea_text_decode(ctx, "f.txt", "ab\ncd\xFF", 6, 0, &out, &len), ALINEA_ERR_ENCODING);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), "f.txt:2: byte 3: invalid UTF-8"));
    assert_null(out);
    /* Lenient: U+FFFD. */
    assert_int_equal(alinea_text_decode(ctx, "f.txt", "a\xFF" "b", 3, ALINEA_TEXT_LENIENT, &out, &len), ALINEA_OK);
    assert_string_equal(out, "a\xEF\xBF\xBD" "b");
    alinea_free(out);
    /* NUL byte: binary. */
    assert_int_equal(alinea_text_decode(ctx, "b.bin", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16, 0, &out, &len), ALINEA_ERR_ENCODING);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), "binary"));
    /* UTF-16 without BOM. */
    assert_int_equal(alinea_text_decode(ctx, "u.txt", "a\0b\0c\0", 6, 0, &out, &len), ALINEA_ERR_ENCODING);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), "UTF-16"));
    alinea_ctx_free(ctx);
}

static void test_presegmented_doc(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    const char *t = "Un.\r\nDeux.\n\n  \nTrois.\n";
    alinea_doc *doc;
    assert_int_equal(alinea_doc_from_text(ctx, t, strlen(t), "fr", ALINEA_DOC_PRESEGMENTED, &doc), ALINEA_OK);
    assert_int_equal(alinea_doc_count(doc), 3);
    size_t len;
    const char *s = alinea_doc_segment(doc, 1, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "Deux.", 5);
    assert_int_equal(alinea_doc_paragraph(doc, 0), 0);
    assert_int_equal(alinea_doc_paragraph(doc, 1), 0);
    assert_int_equal(alinea_doc_paragraph(doc, 2), 1);
    alinea_doc_free(doc);
    alinea_ctx_free(ctx);
}

static void test_out_atomic(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    char path[] = "/tmp/alinea-test-out-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "old\n", 4), 4);
    close(fd);
    alinea_out *o;
    assert_int_equal(alinea_out_open(ctx, path, &o), ALINEA_OK);
    fputs("new content\n", alinea_out_stream(o));
    /* Before the commit the old file is intact. */
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old\n");
    alinea_out_abort(o);
    f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old\n");
    assert_int_equal(alinea_out_open(ctx, path, &o), ALINEA_OK);
    fputs("new content\n", alinea_out_stream(o));
    assert_int_equal(alinea_out_commit(o), ALINEA_OK);
    f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "new content\n");
    assert_true(alinea_same_file(path, path));
    unlink(path);
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_normalize), cmocka_unit_test(test_lang_from_path),
        cmocka_unit_test(test_decode), cmocka_unit_test(test_presegmented_doc),
        cmocka_unit_test(test_out_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
