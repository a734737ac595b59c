/* principal.c - see principal.h. */
#include "core/principal.h"

#include <string.h>

bool center_path_within(const char *path, const char *root_path)
{
    size_t n = strlen(root_path);
    return n > 0 && strncmp(path, root_path, n) == 0;
}

bool principal_can_at(const principal *p, uint32_t mask, const char *center_path)
{
    for (int i = 0; i < p->nroles; i++) {
        const principal_role *r = &p->roles[i];
        /* A device serves its one center, not the centers below it. */
        bool at = p->kind == PRINCIPAL_DEVICE ? strcmp(center_path, r->center_path) == 0
                                              : center_path_within(center_path, r->center_path);
        if ((r->role & mask) && at)
            return true;
    }
    return false;
}

const principal_role *principal_widest(const principal *p, uint32_t mask)
{
    const principal_role *best = NULL;
    for (int i = 0; i < p->nroles; i++) {
        const principal_role *r = &p->roles[i];
        if (!(r->role & mask) || !r->center_path[0])
            continue;
        if (!best || strlen(r->center_path) < strlen(best->center_path))
            best = r;
    }
    return best;
}
