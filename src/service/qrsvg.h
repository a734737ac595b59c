/*
 * qrsvg.h - QR codes as SVG (libqrencode): the slip's "follow your ticket on a phone"
 * code, drawn on the server so kiosks need no script library.
 */
#ifndef YC_QRSVG_H
#define YC_QRSVG_H

#include "util/util.h"

#define QRSVG_TEXT_MAX 256

/* Append to out an SVG of text (1..QRSVG_TEXT_MAX bytes, 8-bit mode, error correction
 * level M, 4-module quiet zone, one path of dark modules, viewBox in modules). Returns
 * the QR width in modules (21..), or -1 when text is empty, too long or cannot be
 * encoded. */
int qrsvg_make(const char *text, ybuf *out);

#endif
