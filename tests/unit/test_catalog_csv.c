/* Unit tests: util/csv (RFC 4180 reader and writer) and service/catalog_csv (the catalog
 * document as CSV tables): exact round trip of the whole demo catalog, and bad CSV
 * reported with file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "service/catalog_csv.h"
#include "util/csv.h"
#include "util/util.h"

#ifndef YC_SOURCE_DIR
#error "YC_SOURCE_DIR must point at the source tree (see CMakeLists.txt)"
#endif

static json_t *catalog, *county;
static cat_problems probs;

static int setup(void **state)
{
    json_error_t e;
    catalog = json_load_file(YC_SOURCE_DIR "/share/demo/catalog.json", 0, &e);
    county = json_load_file(YC_SOURCE_DIR "/share/demo/county.json", 0, &e);
    return catalog && county ? 0 : -1;
}

static int teardown(void **state)
{
    json_decref(catalog);
    json_decref(county);
    return 0;
}

static bool dept_exists(void *arg, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(county, "departments"), i, d)
    {
        if (!strcmp(json_string_value(json_object_get(d, "short_name")), name))
            return true;
    }
    return false;
}

static void dump(void)
{
    for (int i = 0; i < probs.count; i++)
        fprintf(stderr, "  %s:%d %s %s %s %s\n", probs.items[i].file, probs.items[i].line,
                probs.items[i].where, probs.items[i].field, probs.items[i].rule,
                probs.items[i].message);
}

static bool has(const char *file, int line, const char *field, const char *rule)
{
    for (int i = 0; i < probs.count; i++)
        if (!strcmp(probs.items[i].file, file) && probs.items[i].line == line &&
            !strcmp(probs.items[i].field, field) && !strcmp(probs.items[i].rule, rule))
            return true;
    dump();
    return false;
}

/* ---- util/csv ---- */

static void test_csv_parse(void **state)
{
    const char *text = "\xEF\xBB\xBF"
                       "a,b,c\r\n"
                       "\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                       "\n"
                       ",,\r\n"
                       "\"\",last,\"\"";
    csv_table t;
    int line;
    const char *err;
    assert_int_equal(csv_parse(text, strlen(text), &t, &line, &err), 0);
    assert_int_equal(t.nrows, 4);
    assert_int_equal(t.rows[0].line, 1);
    assert_string_equal(t.rows[0].fields[0], "a");
    assert_int_equal(t.rows[1].line, 2);
    assert_int_equal(t.rows[1].nfields, 3);
    assert_string_equal(t.rows[1].fields[0], "x,1");
    assert_string_equal(t.rows[1].fields[1], "say \"hi\"");
    assert_string_equal(t.rows[1].fields[2], "two\nlines");
    assert_int_equal(t.rows[2].line, 5); /* the quoted line break and the empty line count */
    assert_int_equal(t.rows[2].nfields, 3);
    assert_string_equal(t.rows[2].fields[2], "");
    assert_int_equal(t.rows[3].line, 6);
    assert_string_equal(t.rows[3].fields[1], "last");
    csv_table_free(&t);

    assert_int_equal(csv_parse("", 0, &t, &line, &err), 0);
    assert_int_equal(t.nrows, 0);
}

static void expect_error(const char *text, size_t len, int want_line)
{
    csv_table t;
    int line = 0;
    const char *err = NULL;
    assert_int_equal(csv_parse(text, len, &t, &line, &err), -1);
    assert_non_null(err);
    assert_int_equal(line, want_line);
    assert_int_equal(t.nrows, 0);
}

static void test_csv_errors(void **state)
{
    const char *s = "a,b\n1,\"open\nstill open";
    expect_error(s, strlen(s), 2);
    s = "a,b\n1,2\nx\"y,3\n";
    expect_error(s, strlen(s), 3);
    s = "a,b\n\"q\"x,3\n";
    expect_error(s, strlen(s), 2);
    s = "a,b\r1,2\n";
    expect_error(s, strlen(s), 1);
    expect_error("a,\0b\n", 5, 1);
    s = "a,\xC3\x28\n";
    expect_error(s, strlen(s), 1);
    s = "a,\xED\xA0\x80\n"; /* a surrogate */
    expect_error(s, strlen(s), 1);
    ybuf b = {0};
    for (int i = 0; i < CSV_MAX_FIELDS + 1; i++)
        ybuf_adds(&b, i ? ",x" : "x");
    expect_error(b.data, b.len, 1);
    ybuf_release(&b);
}

static void test_csv_write(void **state)
{
    const char *row[] = {"plain", "with,comma", "say \"hi\"", "two\r\nlines", "", "中文"};
    ybuf b = {0};
    csv_write_row(&b, row, 6);
    csv_write_row(&b, row, 1);
    assert_string_equal(b.data, "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\r\nlines\",,中文\r\n"
                                "plain\r\n");
    csv_table t;
    int line;
    const char *err;
    assert_int_equal(csv_parse(b.data, b.len, &t, &line, &err), 0);
    assert_int_equal(t.nrows, 2);
    for (int i = 0; i < 6; i++)
        assert_string_equal(t.rows[0].fields[i], row[i]);
    assert_int_equal(t.rows[1].line, 3);
    csv_table_free(&t);
    ybuf_release(&b);

    /* A first field that starts with U+FEFF is not mistaken for a BOM (found by fuzz_csv). */
    const char *bom[] = {"\xEF\xBB\xBFx", "y"};
    csv_write_row(&b, bom, 2);
    assert_int_equal(csv_parse(b.data, b.len, &t, &line, &err), 0);
    assert_string_equal(t.rows[0].fields[0], bom[0]);
    csv_table_free(&t);
    ybuf_release(&b);
}

/* ---- catalog_csv: round trip ---- */

static catalog_csv_file *demo_files(int *n)
{
    catalog_csv_file *f = NULL;
    assert_int_equal(catalog_csv_write(catalog, &f, n), 0);
    assert_int_equal(*n, 11);
    return f;
}

static void test_round_trip(void **state)
{
    int n;
    catalog_csv_file *f = demo_files(&n);
    assert_string_equal(f[0].name, "items.csv");
    assert_string_equal(f[10].name, "bundle_fields.csv");
    memset(&probs, 0, sizeof(probs));
    json_t *doc = catalog_csv_read(f, n, &probs);
    if (!doc)
        dump();
    assert_non_null(doc);
    assert_true(json_equal(doc, catalog));
    /* Keys come back in the document order too: the JSON text is identical. */
    char *a = json_dumps(catalog, JSON_INDENT(1));
    char *b = json_dumps(doc, JSON_INDENT(1));
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* export -> import -> export is byte-identical */
    catalog_csv_file *g;
    int m;
    assert_int_equal(catalog_csv_write(doc, &g, &m), 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(f[i].len, g[i].len);
        assert_memory_equal(f[i].text, g[i].text, f[i].len);
    }
    catalog_csv_files_free(g, m);
    json_decref(doc);

    memset(&probs, 0, sizeof(probs));
    doc = catalog_csv_read_checked(f, n, dept_exists, NULL, NULL, &probs);
    if (!doc)
        dump();
    assert_non_null(doc);
    json_decref(doc);
    catalog_csv_files_free(f, n);
}

static void test_subset_and_lf(void **state)
{
    /* Only items.csv, with LF line ends and no BOM: every array is present and empty. */
    int n;
    catalog_csv_file *f = demo_files(&n);
    ybuf b = {0};
    const char *s = f[0].text + 3;
    const char *second = strstr(strstr(s, "\r\n") + 2, "\r\n") + 2;
    for (const char *p = s; p < second; p++)
        if (*p != '\r')
            ybuf_addc(&b, *p);
    catalog_csv_file one = {"items.csv", b.data, b.len};
    memset(&probs, 0, sizeof(probs));
    json_t *doc = catalog_csv_read(&one, 1, &probs);
    assert_non_null(doc);
    json_t *it = json_array_get(json_object_get(doc, "items"), 0);
    assert_true(json_equal(
        json_object_get(it, "basic_code"),
        json_object_get(json_array_get(json_object_get(catalog, "items"), 0), "basic_code")));
    assert_int_equal(json_array_size(json_object_get(it, "materials")), 0);
    assert_int_equal(json_array_size(json_object_get(it, "faq")), 0);
    assert_int_equal(json_array_size(json_object_get(doc, "bundles")), 0);
    json_decref(doc);
    ybuf_release(&b);
    catalog_csv_files_free(f, n);
}

static void test_write_rejects(void **state)
{
    json_t *doc = json_deep_copy(catalog);
    json_t *it = json_array_get(json_object_get(doc, "items"), 0);
    json_array_append_new(json_object_get(it, "aliases"), json_string("甲;乙"));
    catalog_csv_file *f = (catalog_csv_file *)1;
    int n = 5;
    assert_int_equal(catalog_csv_write(doc, &f, &n), -1);
    assert_null(f);
    assert_int_equal(n, 0);
    json_array_remove(json_object_get(it, "aliases"), 3);
    json_object_set_new(it, "visits", json_string("1"));
    assert_int_equal(catalog_csv_write(doc, &f, &n), -1);
    json_decref(doc);
}

/* Columns may come in any order (and optional ones may be left out when unused). */
static void permute(catalog_csv_file *f, bool reverse)
{
    csv_table t;
    int line;
    const char *err;
    assert_int_equal(csv_parse(f->text, f->len, &t, &line, &err), 0);
    ybuf b = {0};
    for (int r = 0; r < t.nrows; r++) {
        int n = t.rows[r].nfields;
        const char *row[CSV_MAX_FIELDS];
        for (int i = 0; i < n; i++) /* reverse, or swap the first two */
            row[i] = t.rows[r].fields[reverse ? n - 1 - i : (i < 2 ? 1 - i : i)];
        csv_write_row(&b, row, n);
    }
    csv_table_free(&t);
    free((char *)f->text);
    f->len = b.len;
    f->text = ybuf_detach(&b);
}

static void test_column_order(void **state)
{
    int n;
    catalog_csv_file *f = demo_files(&n);
    permute(&f[0], true);  /* items.csv */
    permute(&f[1], true);  /* materials.csv */
    permute(&f[3], false); /* options.csv: question before item */
    memset(&probs, 0, sizeof(probs));
    json_t *doc = catalog_csv_read(f, n, &probs);
    if (!doc)
        dump();
    assert_non_null(doc);
    assert_true(json_equal(doc, catalog));
    json_decref(doc);
    catalog_csv_files_free(f, n);
}

/* ---- catalog_csv: bad CSV ---- */

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Replace file i's text with its text plus extra (or a replacement of from by to). */
static void edit(catalog_csv_file *f, const char *append, const char *from, const char *to)
{
    ybuf b = {0};
    const char *hit = from ? strstr(f->text, from) : NULL;
    if (from)
        assert_non_null(hit);
    if (hit) {
        ybuf_add(&b, f->text, (size_t)(hit - f->text));
        ybuf_adds(&b, to);
        ybuf_adds(&b, hit + strlen(from));
    } else {
        ybuf_adds(&b, f->text);
    }
    if (append)
        ybuf_adds(&b, append);
    free((char *)f->text);
    f->len = b.len;
    f->text = ybuf_detach(&b);
}

static void test_bad_rows(void **state)
{
    int n;
    catalog_csv_file *f = demo_files(&n);
    int m = count_lines(f[1].text); /* materials.csv: the next row is line m + 1 */
    edit(&f[1],
         "1102000002,extra,额外材料,original,paper,两份,required,applicant,,,,,\r\n"
         "9999999999,extra,额外材料,original,paper,1,required,applicant,,,,,\r\n"
         "1102000002,food_form,重复,original,paper,1,required,applicant,,,,,\r\n"
         "1102000002,short,行\r\n"
         "1102000002,flag,标记,original,paper,1,required,applicant,,,,,maybe\r\n"
         "1102000002,list,列表,original,paper,1,required,applicant,,,,\"a\n\nb\",\r\n",
         NULL, NULL);
    int q = count_lines(f[3].text);
    edit(&f[3], "1102000002,nope,x,否,,\r\n", NULL, NULL);
    int it = count_lines(f[0].text);
    const char *row2 = strstr(f[0].text, "\r\n") + 2;
    char *dup = xstrndup(row2, (size_t)(strstr(row2, "\r\n") + 2 - row2));
    edit(&f[0], dup, NULL, NULL);
    free(dup);
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read(f, n, &probs));
    assert_true(has("materials.csv", m + 1, "count", "TYPE"));
    assert_true(has("materials.csv", m + 2, "item", "REFERENCE"));
    assert_true(has("materials.csv", m + 3, "key", "DUPLICATE"));
    assert_true(has("materials.csv", m + 4, "", "COLUMNS"));
    assert_true(has("materials.csv", m + 5, "always", "TYPE"));
    assert_true(has("materials.csv", m + 6, "mistakes", "FORMAT"));
    assert_true(has("options.csv", q + 1, "question", "REFERENCE"));
    assert_true(has("items.csv", it + 1, "basic_code", "DUPLICATE"));
    assert_int_equal(probs.count, 8);
    catalog_csv_files_free(f, n);
}

static void test_bad_headers_and_files(void **state)
{
    int n;
    catalog_csv_file *f = demo_files(&n);
    edit(&f[1], NULL, ",always\r\n", ",allways\r\n");
    edit(&f[4], NULL, "item,name,share,role", "item,name,role");
    edit(&f[6], NULL, "item,name,amount_fen,basis", "item,name,amount_fen,basis,name");
    catalog_csv_file *g = xcalloc((size_t)n + 2, sizeof(*g));
    memcpy(g, f, sizeof(*g) * (size_t)n);
    g[n] = (catalog_csv_file){"stuff.csv", "a\r\n", 3};
    g[n + 1] = (catalog_csv_file){"faq.csv", "item,q,a\r\n", 10};
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read(g, n + 2, &probs));
    assert_true(has("stuff.csv", 0, "", "UNKNOWN_FIELD"));
    assert_true(has("faq.csv", 0, "", "DUPLICATE"));
    /* File problems stop before the tables are read. */
    assert_int_equal(probs.count, 2);
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read(f, n, &probs));
    assert_true(has("materials.csv", 1, "allways", "UNKNOWN_FIELD"));
    assert_true(has("steps.csv", 1, "share", "REQUIRED"));
    assert_true(has("fees.csv", 1, "name", "DUPLICATE"));
    assert_int_equal(probs.count, 3);
    /* A syntax error names its file and line. */
    int m = count_lines(f[7].text);
    edit(&f[7], "1102000002,\"问,答\r\n", NULL, NULL);
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read(f, n, &probs));
    assert_true(has("faq.csv", m + 1, "", "CSV"));
    free(g);
    catalog_csv_files_free(f, n);
}

/* A bad cell is one problem: the item's rows in the other tables still find it. */
static void test_bad_cell_alone(void **state)
{
    int n;
    catalog_csv_file *f = demo_files(&n);
    edit(&f[0], NULL, ",0,none,建筑工程施工许可证,", ",零,none,建筑工程施工许可证,");
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read(f, n, &probs));
    assert_true(has("items.csv", 2, "visits", "TYPE"));
    assert_int_equal(probs.count, 1);
    catalog_csv_files_free(f, n);
}

/* The rules' problems point at the row they come from. */
static void test_checked_lines(void **state)
{
    json_t *doc = json_deep_copy(catalog);
    json_t *items = json_object_get(doc, "items");
    json_t *first = json_array_get(items, 0);
    json_object_set_new(first, "type_code", json_string("99"));
    json_object_set_new(json_array_get(json_object_get(first, "materials"), 1), "kind",
                        json_string("scan"));
    json_object_set_new(json_array_get(json_object_get(first, "steps"), 0), "share",
                        json_integer(2));
    json_t *opt = json_array_get(
        json_object_get(
            json_array_get(json_object_get(json_object_get(first, "situations"), "questions"), 0),
            "options"),
        0);
    json_object_set_new(opt, "next", json_string("nope"));
    json_t *second = json_array_get(items, 1);
    json_object_set_new(second, "department", json_string("县外星局"));
    json_t *b = json_array_get(json_object_get(doc, "bundles"), 0);
    json_object_set_new(b, "lead_department", json_string("月球局"));
    json_array_append_new(json_object_get(b, "items"), json_string("8888888888"));
    catalog_csv_file *f;
    int n;
    assert_int_equal(catalog_csv_write(doc, &f, &n), 0);
    memset(&probs, 0, sizeof(probs));
    assert_null(catalog_csv_read_checked(f, n, dept_exists, NULL, NULL, &probs));
    assert_true(has("items.csv", 2, "type_code", "ENUM"));
    assert_true(has("items.csv", 2, "steps", "SHARES"));
    assert_true(has("materials.csv", 3, "kind", "ENUM"));
    assert_true(has("options.csv", 2, "next", "REFERENCE"));
    /* items[0] spans several lines (its conditions are one per line). */
    char start[32];
    snprintf(start, sizeof(start), "\n%s,",
             json_string_value(json_object_get(second, "basic_code")));
    const char *at = strstr(f[0].text, start);
    assert_non_null(at);
    char *head = xstrndup(f[0].text, (size_t)(at - f[0].text) + 1);
    int line = count_lines(head) + 1;
    free(head);
    assert_true(line > 3);
    assert_true(has("items.csv", line, "department", "REFERENCE"));
    assert_true(has("bundles.csv", 2, "lead_department", "REFERENCE"));
    assert_true(has("bundles.csv", 2, "items", "REFERENCE"));
    assert_int_equal(probs.count, 7);
    catalog_csv_files_free(f, n);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_parse),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_write),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_subset_and_lf),
        cmocka_unit_test(test_write_rejects),
        cmocka_unit_test(test_column_order),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_bad_headers_and_files),
        cmocka_unit_test(test_bad_cell_alone),
        cmocka_unit_test(test_checked_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
