/* mask.c - see mask.h. */
#include "core/mask.h"
#include "util/util.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Keep `head` leading and `tail` trailing characters of an n-character run. */
static void add_masked(ybuf *b, const char *s, size_t n, size_t head, size_t tail)
{
    if (head + tail >= n) {
        head = 0;
        tail = n > 2 ? 2 : 0;
    }
    ybuf_add(b, s, head);
    for (size_t i = head; i < n - tail; i++)
        ybuf_addc(b, '*');
    ybuf_add(b, s + n - tail, tail);
}

char *mask_text(const char *s)
{
    ybuf b = {0};
    ybuf_adds(&b, "");
    size_t i = 0, n = strlen(s);
    while (i < n) {
        if (!is_digit(s[i])) {
            ybuf_addc(&b, s[i++]);
            continue;
        }
        size_t j = i;
        while (j < n && is_digit(s[j]))
            j++;
        size_t run = j - i;
        /* An ID number may end with X (or x). */
        if (run == 17 && j < n && (s[j] == 'X' || s[j] == 'x')) {
            j++;
            run++;
        }
        if (run == 18)
            add_masked(&b, s + i, run, 3, 4);
        else if (run == 11 && s[i] == '1')
            add_masked(&b, s + i, run, 3, 4);
        else
            ybuf_add(&b, s + i, run);
        i = j;
    }
    return ybuf_detach(&b);
}

char *mask_id_number(const char *id)
{
    ybuf b = {0};
    ybuf_adds(&b, "");
    add_masked(&b, id, strlen(id), 3, 4);
    return ybuf_detach(&b);
}

char *mask_phone(const char *phone)
{
    ybuf b = {0};
    ybuf_adds(&b, "");
    add_masked(&b, phone, strlen(phone), 3, 4);
    return ybuf_detach(&b);
}
