/*
 * guide.h - the 办事指南 of an item or a 一件事 bundle as complete HTML documents,
 * rendered from the catalog documents (core/catalog.h checks their shape): a public web
 * page, a printable A4 page, and a blank form or filled-in sample for one material.
 * Pure: no database, no clock; the caller renders once per published version and keeps
 * the result. Every text value from the documents is HTML-escaped; the pages link
 * /css/guide.css and carry no inline script or style (strict CSP).
 */
#ifndef YC_GUIDE_H
#define YC_GUIDE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum { GUIDE_PAGE, GUIDE_PRINT } guide_layout;

/* A complete UTF-8 HTML document for the item's guide; links /css/guide.css, no inline
 * script or style (strict CSP). malloc'd, *len set; NULL on out of memory.
 * published_on ("YYYY-MM-DD") and department_name may be NULL. */
char *guide_item_html(json_t *item, int version, const char *published_on,
                      const char *department_name, guide_layout layout, size_t *len);
/* The guide of a bundle; member_items is an array of the member item documents (in any
 * order; members missing from it are listed by code only). */
char *guide_bundle_html(json_t *bundle, json_t *member_items, int version, guide_layout layout,
                        size_t *len);
/* Blank form (sample=false) or filled-in sample (sample=true) for one material; NULL if
 * the item has no such material. */
char *guide_form_html(json_t *item, const char *material_key, bool sample, size_t *len);

#endif
