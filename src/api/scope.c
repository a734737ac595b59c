/* scope.c - see handlers.h. */
#include "api/handlers.h"
#include "store/accounts.h"

#include <stdio.h>
#include <string.h>

int api_need_center(api_req *r, uint32_t mask, int64_t center_id, char *path, size_t size,
                    const char *field)
{
    int rc = accounts_center_path(api_db(r), center_id, path, size);
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "CENTER_NOT_FOUND", field, "中心不存在（编号%lld）", (long long)center_id);
        return -1;
    }
    if (rc)
        return api_fail_db(r);
    if (!principal_can_at(api_who(r), mask, path)) {
        api_fail(r, 403, "CENTER_FORBIDDEN", field, "您无权管理该中心（编号%lld）",
                 (long long)center_id);
        return -1;
    }
    return 0;
}

int api_need_kiosk_or_center(api_req *r, uint32_t mask, int64_t center_id, const char *doing)
{
    char path[CENTER_PATH_MAX];
    if (api_who(r)->kind != PRINCIPAL_DEVICE)
        return api_need_center(r, mask, center_id, path, sizeof(path), "");
    int rc = accounts_center_path(api_db(r), center_id, path, sizeof(path));
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "CENTER_NOT_FOUND", "", "中心不存在（编号%lld）", (long long)center_id);
        return -1;
    }
    if (rc)
        return api_fail_db(r);
    if (!principal_can_at(api_who(r), ROLE_KIOSK, path)) {
        api_fail(r, 403, "DEVICE_OTHER_CENTER", "",
                 "该取号机属于其他中心，不能在本中心（编号%lld）%s", (long long)center_id, doing);
        return -1;
    }
    return 0;
}

json_t *api_scoped(api_req *r, json_t *obj, uint32_t mask, const char *not_found_code,
                   const char *not_found_msg, const char *forbidden_msg)
{
    if (obj &&
        principal_can_at(api_who(r), mask, json_string_value(json_object_get(obj, "center_path"))))
        return obj;
    if (obj && forbidden_msg)
        api_fail(r, 403, "CENTER_FORBIDDEN", "", "%s", forbidden_msg);
    else
        api_fail(r, 404, not_found_code, "", "%s", not_found_msg);
    json_decref(obj);
    return NULL;
}

const char *api_list_root(api_req *r, uint32_t mask)
{
    const principal_role *pr = principal_widest(api_who(r), mask);
    return pr ? pr->center_path : "/none/"; /* "/none/" matches no center */
}

bool api_root_scope(api_req *r, uint32_t mask)
{
    const principal_role *pr = principal_widest(api_who(r), mask);
    /* A root center's path has exactly two slashes: "/1/". */
    const char *p = pr ? pr->center_path : "";
    const char *second = p[0] == '/' ? strchr(p + 1, '/') : NULL;
    return second && second[1] == '\0';
}

int api_fail_db(api_req *r)
{
    api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时不可用，请稍后重试");
    return -1;
}

int api_reject_nulls(api_req *r, json_t *in, const char *const *nullable)
{
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v)
    {
        if (!json_is_null(v))
            continue;
        size_t i = 0;
        while (nullable[i] && strcmp(nullable[i], k))
            i++;
        if (!nullable[i]) {
            api_fail(r, 400, "FIELD_TYPE", k, "“%s”不能为空（null）", k);
            return -1;
        }
    }
    return 0;
}

int api_idempotency(api_req *r, char key[API_IDEM_MAX], char caller[API_CALLER_MAX])
{
    const char *idem = api_header(r, "Idempotency-Key");
    if (idem && (!*idem || strlen(idem) > 64)) {
        api_fail(r, 400, "FIELD_FORMAT", "Idempotency-Key", "Idempotency-Key应为1–64个字符");
        return -1;
    }
    const principal *p = api_who(r);
    ystrlcpy(key, idem ? idem : "", API_IDEM_MAX);
    snprintf(caller, API_CALLER_MAX, "%s:%lld", p->kind == PRINCIPAL_DEVICE ? "device" : "user",
             (long long)p->id);
    return 0;
}
