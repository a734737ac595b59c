/*
 * guide_html.h - the HTML building blocks shared by the guide renderers (guide.c: items,
 * guide_bundle.c: bundles, guide_form.c: blank forms and samples). Internal to
 * src/service: everything appends to a ybuf and escapes what it is given.
 */
#ifndef YC_GUIDE_HTML_H
#define YC_GUIDE_HTML_H

#include "service/guide.h"
#include "util/util.h"

#include <jansson.h>
#include <stdbool.h>

/* A page being built: its text, its layout and the number of the last section. */
typedef struct gh_doc {
    ybuf b;
    guide_layout layout;
    int section;
} gh_doc;

/* A string member of o, "" when absent or not a string. */
const char *gh_str(json_t *o, const char *key);
/* s with & < > " ' escaped for HTML text and attribute values; nothing for NULL. */
void gh_esc(ybuf *b, const char *s);
/* A path segment for an href: anything but [A-Za-z0-9_-] percent-encoded. */
void gh_url_seg(ybuf *b, const char *s);
/* Label of a code, or the code itself (escaped by the caller) when unknown. */
const char *gh_label(const char *group, const char *code);
/* Strings of an array joined by "、". */
void gh_join(ybuf *b, json_t *a, const char *group);
void gh_section_open(gh_doc *d, const char *id, const char *title);
void gh_section_close(gh_doc *d);
/* <tr><th>label</th><td>escaped value</td></tr>; skipped when value is empty. */
void gh_kv(ybuf *b, const char *key, const char *value);
/* Open a row whose value the caller writes; close with gh_kv_end. */
void gh_kv_begin(ybuf *b, const char *key);
void gh_kv_end(ybuf *b);
/* "20个工作日" from {value, unit}; 0 reads as 即办. */
void gh_limit_text(ybuf *b, json_t *limit);
void gh_money(ybuf *b, json_int_t fen);
/* The page head: doctype to the opening of <main>. */
void gh_head(gh_doc *d, const char *title, const char *kind);
/* Site bar with actions (page layout only); actions is pre-built HTML of links. */
void gh_topbar(gh_doc *d, const char *actions);
void gh_print_hint(gh_doc *d, const char *page_path);
void gh_footer(gh_doc *d, int version, const char *published_on, const char *code_label,
               const char *code, const char *page_path);
char *gh_finish(gh_doc *d, size_t *len);
/* Which situation options select a material ("问题：选项"), for materials that do not
 * always apply. */
void gh_material_situations(ybuf *b, json_t *item, const char *key);
bool gh_material_conditional(json_t *item, json_t *m);
void gh_mistakes(ybuf *b, json_t *m);

#endif
