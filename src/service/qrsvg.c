/*
 * qrsvg.c - see qrsvg.h.
 */
#include "service/qrsvg.h"

#include <qrencode.h>
#include <string.h>

int qrsvg_make(const char *text, ybuf *out)
{
    size_t n = text ? strlen(text) : 0;
    if (!n || n > QRSVG_TEXT_MAX)
        return -1;
    QRcode *qr = QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
    if (!qr)
        return -1;
    int w = qr->width, size = w + 8;
    ybuf_printf(out,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
                " shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                "<path fill=\"#000\" d=\"",
                size, size, size, size);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            ybuf_printf(out, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
            x += run;
        }
    }
    ybuf_adds(out, "\"/></svg>\n");
    QRcode_free(qr);
    return w;
}
