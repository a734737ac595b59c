/* libFuzzer target: a request body through the JSON parser and the field checker, as
 * every write endpoint does. Must never crash, leak or read out of bounds. */
#include "api/api.h"

#include <stdint.h>
#include <string.h>

static const jfield role_spec[] = {
    {"role", JF_STRING, true, 1, 32, "角色"},
    {"center_id", JF_INT, false, 1, INT64_MAX, "中心"},
    {0},
};

static const jfield spec[] = {
    {"username", JF_STRING, true, 2, 32, "用户名"},
    {"display_name", JF_STRING, true, 1, 32, "姓名"},
    {"roles", JF_ARRAY, true, 0, 16, "角色"},
    {"disabled", JF_BOOL, false, 0, 0, "停用"},
    {0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        return 0;
    yc_err e;
    if (api_check_object(o, spec, "", &e) == 0) {
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(o, "roles"), i, r) api_check_object(r, role_spec,
                                                                              "roles[].", &e);
    }
    api_times(o);
    json_decref(o);
    return 0;
}
