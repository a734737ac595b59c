/*
 * csv.c - see csv.h. One pass over the text with a small state machine; fields are
 * collected in a ybuf and copied out when they end.
 */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

int csv_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

typedef struct parser {
    csv_table *t;
    char **fields;
    int nfields;
    int cap;
    ybuf field;
} parser;

static void end_field(parser *p)
{
    if (p->nfields == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->fields = xrealloc(p->fields, sizeof(char *) * (size_t)p->cap);
    }
    p->fields[p->nfields++] = xstrndup(p->field.data ? p->field.data : "", p->field.len);
    ybuf_reset(&p->field);
}

static void end_row(parser *p, int line)
{
    csv_table *t = p->t;
    if (p->nfields == 1 && !p->fields[0][0]) { /* an empty line */
        free(p->fields[0]);
        p->nfields = 0;
        return;
    }
    t->rows = xrealloc(t->rows, sizeof(csv_row) * (size_t)(t->nrows + 1));
    t->rows[t->nrows].fields = p->fields;
    t->rows[t->nrows].nfields = p->nfields;
    t->rows[t->nrows].line = line;
    t->nrows++;
    p->fields = NULL;
    p->nfields = p->cap = 0;
}

static int fail(parser *p, int line, int *err_line, const char **err, const char *msg)
{
    for (int i = 0; i < p->nfields; i++)
        free(p->fields[i]);
    free(p->fields);
    ybuf_release(&p->field);
    csv_table_free(p->t);
    *err_line = line;
    *err = msg;
    return -1;
}

int csv_parse(const char *text, size_t len, csv_table *out, int *err_line, const char **err)
{
    parser p = {out, NULL, 0, 0, {0}};
    out->rows = NULL;
    out->nrows = 0;
    size_t i = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;
    if (memchr(text, '\0', len))
        return fail(&p, 1, err_line, err, "文件中含有空字符");
    if (!csv_utf8_valid(text + i, len - i))
        return fail(&p, 1, err_line, err, "文件不是有效的UTF-8编码");
    int line = 1, start = 1;
    bool in_row = false;
    while (i < len) {
        if (!in_row) {
            start = line;
            in_row = true;
        }
        char c = text[i];
        if (c == '"' && p.field.len == 0) {
            /* A quoted field: runs to the closing quote; "" is one quote. */
            int qline = line;
            i++;
            for (;;) {
                if (i >= len)
                    return fail(&p, qline, err_line, err, "引号没有闭合");
                if (text[i] == '"') {
                    if (i + 1 < len && text[i + 1] == '"') {
                        ybuf_addc(&p.field, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (text[i] == '\n')
                    line++;
                ybuf_addc(&p.field, text[i++]);
            }
            if (i < len && text[i] != ',' && text[i] != '\n' &&
                !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
                return fail(&p, line, err_line, err, "引号后应为逗号或换行");
            continue;
        }
        if (c == ',') {
            end_field(&p);
            i++;
        } else if (c == '\n' || (c == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            end_field(&p);
            end_row(&p, start);
            in_row = false;
            i += c == '\r' ? 2 : 1;
            line++;
        } else if (c == '"') {
            return fail(&p, line, err_line, err, "未加引号的字段中不能含有引号");
        } else if (c == '\r') {
            return fail(&p, line, err_line, err, "换行符应为CRLF或LF");
        } else {
            ybuf_addc(&p.field, c);
            i++;
        }
        if (p.nfields >= CSV_MAX_FIELDS)
            return fail(&p, line, err_line, err, "一行的字段过多");
    }
    if (in_row) {
        end_field(&p);
        end_row(&p, start);
    }
    free(p.fields);
    ybuf_release(&p.field);
    return 0;
}

void csv_table_free(csv_table *t)
{
    for (int r = 0; r < t->nrows; r++) {
        for (int f = 0; f < t->rows[r].nfields; f++)
            free(t->rows[r].fields[f]);
        free(t->rows[r].fields);
    }
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

void csv_write_field(ybuf *b, const char *s)
{
    if (!s)
        s = "";
    /* A leading U+FEFF is quoted so that it is not taken for a BOM at the file's start. */
    if (!strpbrk(s, ",\"\r\n") && strncmp(s, "\xEF\xBB\xBF", 3) != 0) {
        ybuf_adds(b, s);
        return;
    }
    ybuf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ybuf_addc(b, '"');
        ybuf_addc(b, *s);
    }
    ybuf_addc(b, '"');
}

void csv_write_row(ybuf *b, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            ybuf_addc(b, ',');
        csv_write_field(b, fields[i]);
    }
    ybuf_adds(b, "\r\n");
}
