/*
 * csv.h - RFC 4180 CSV: a reader into rows of strings and a writer. Quoted fields may
 * hold commas, doubled quotes and line breaks; records end with CRLF or LF; a UTF-8 BOM
 * at the start is skipped; empty lines are skipped. Text must be UTF-8 without NUL.
 * The writer quotes only fields that need it (and one starting with U+FEFF, which would
 * read as a BOM at the start of a file) and ends every record with CRLF.
 */
#ifndef YC_CSV_H
#define YC_CSV_H

#include <stddef.h>

#include "util/util.h"

#define CSV_MAX_FIELDS 256

typedef struct csv_row {
    char **fields; /* NUL-terminated UTF-8 */
    int nfields;
    int line; /* 1-based line the record starts on */
} csv_row;

typedef struct csv_table {
    csv_row *rows;
    int nrows;
} csv_table;

/* Parse len bytes of text. 0 on success; -1 with *err_line (1-based) and *err (a static
 * Chinese message) on a syntax error, in which case the table is empty. */
int csv_parse(const char *text, size_t len, csv_table *out, int *err_line, const char **err);
void csv_table_free(csv_table *t);

/* Append one field, quoted when it holds a comma, quote, CR or LF. */
void csv_write_field(ybuf *b, const char *s);
/* Append a record of n fields and its CRLF. */
void csv_write_row(ybuf *b, const char *const *fields, int n);

/* Is s valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF) of n bytes? */
int csv_utf8_valid(const char *s, size_t n);

#endif
