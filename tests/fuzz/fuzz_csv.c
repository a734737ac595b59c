/* libFuzzer target: the RFC 4180 reader (util/csv) and the catalog's CSV import
 * (service/catalog_csv). The first byte picks how many files and which tables; the rest
 * is split into the files' texts at 0xFF bytes (never part of UTF-8 text).
 * Invariants: parsed rows written back parse to the same rows; a document read from CSV
 * writes back and reads again to an equal document. */
#include "service/catalog_csv.h"
#include "util/csv.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
    "items.csv",   "materials.csv",          "questions.csv",     "options.csv",
    "steps.csv",   "special_procedures.csv", "fees.csv",          "faq.csv",
    "bundles.csv", "bundle_items.csv",       "bundle_fields.csv",
};

static void check_rows(const char *text, size_t len)
{
    csv_table t, u;
    int line;
    const char *err;
    if (csv_parse(text, len, &t, &line, &err) != 0)
        return;
    ybuf b = {0};
    for (int r = 0; r < t.nrows; r++)
        csv_write_row(&b, (const char *const *)t.rows[r].fields, t.rows[r].nfields);
    if (csv_parse(b.data ? b.data : "", b.len, &u, &line, &err) != 0 || u.nrows != t.nrows)
        abort();
    for (int r = 0; r < t.nrows; r++) {
        if (u.rows[r].nfields != t.rows[r].nfields)
            abort();
        for (int f = 0; f < t.rows[r].nfields; f++)
            if (strcmp(u.rows[r].fields[f], t.rows[r].fields[f]))
                abort();
    }
    csv_table_free(&t);
    csv_table_free(&u);
    ybuf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    int nfiles = data[0] % 4 + 1;
    catalog_csv_file files[4];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    for (int i = 0; i < nfiles; i++) {
        const char *e = memchr(p, 0xFF, (size_t)(end - p));
        if (!e || i == nfiles - 1)
            e = end;
        files[i].name = names[((data[0] >> 2) + i) % YC_ARRAY_LEN(names)];
        files[i].text = p;
        files[i].len = (size_t)(e - p);
        check_rows(files[i].text, files[i].len);
        p = e < end ? e + 1 : end;
    }
    cat_problems *probs = xcalloc(1, sizeof(*probs));
    json_t *doc = catalog_csv_read(files, nfiles, probs);
    if (doc) {
        catalog_csv_file *out;
        int n;
        if (catalog_csv_write(doc, &out, &n) != 0)
            abort();
        memset(probs, 0, sizeof(*probs));
        json_t *again = catalog_csv_read(out, n, probs);
        if (!again || !json_equal(doc, again))
            abort();
        json_decref(again);
        catalog_csv_files_free(out, n);
        json_decref(doc);
    }
    free(probs);
    return 0;
}
