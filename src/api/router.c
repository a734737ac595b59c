/*
 * router.c - match a method and path against the route table.
 *
 * Linear scan over a few dozen patterns, segment by segment; at this size it costs
 * less than a hash lookup's setup. A radix tree would pay off past a few hundred
 * routes.
 */
#include "api/internal.h"

#include <string.h>

/* Match one pattern; on success fill params (heap strings). */
static bool match_pattern(const char *pat, const char *path, char **params, int *nparams)
{
    int n = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *pe = strchr(pat, '}');
            const char *se = strchr(path, '/');
            size_t len = se ? (size_t)(se - path) : strlen(path);
            if (!pe || len == 0 || n == API_MAX_PARAMS)
                goto no;
            params[n++] = xstrndup(path, len);
            pat = pe + 1;
            path += len;
            continue;
        }
        if (*pat != *path)
            goto no;
        pat++;
        path++;
    }
    if (*pat || *path)
        goto no;
    *nparams = n;
    return true;
no:
    for (int i = 0; i < n; i++)
        free(params[i]);
    return false;
}

int router_match(const char *method, const char *path, char **params, int *nparams,
                 bool *path_known)
{
    *path_known = false;
    for (int i = 0; i < api_route_count; i++) {
        const api_route *rt = &api_routes[i];
        char *tmp[API_MAX_PARAMS];
        int nt = 0;
        if (!match_pattern(rt->pattern, path, tmp, &nt))
            continue;
        if (strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            for (int k = 0; k < nt; k++)
                params[k] = tmp[k];
            *nparams = nt;
            return i;
        }
        *path_known = true;
        for (int k = 0; k < nt; k++)
            free(tmp[k]);
    }
    return -1;
}
