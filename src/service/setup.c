/* setup.c - see setup.h. */
#include "service/setup.h"
#include "service/auth.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/notices.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const audit_actor cli_actor = {"system", 0, "yichuang", "", 0, 0, ""};

bool setup_done(store *st)
{
    db_conn *c = store_reader(st);
    db_stmt *q = c ? db_prepare(c, "SELECT COUNT(*) FROM centers") : NULL;
    bool done = q && db_step(q) == DB_ROW && db_col_int(q, 0) > 0;
    if (q)
        db_reset(q);
    return done;
}

typedef struct init_ctx {
    const setup_opts *o;
    char hash[AUTH_HASH_MAX];
    bool must_change;
} init_ctx;

static int init_tx(db_conn *tx, void *arg)
{
    init_ctx *c = arg;
    int64_t now = ytime_now_ms(), center, user;
    int rc = accounts_center_insert(tx, 0, "county", c->o->center_name, now, &center);
    if (!rc)
        rc = accounts_user_insert(tx, c->o->admin_user, "系统管理员", c->hash, c->must_change, now,
                                  &user);
    if (rc)
        return rc;
    json_t *roles = json_pack("[{s:s,s:I}]", "role", "admin", "center_id", (json_int_t)center);
    rc = accounts_roles_replace(tx, user, roles);
    json_decref(roles);
    if (!rc)
        rc = audit_append(tx, &cli_actor, "init", "center", "1", "初始化数据库，创建中心与系统管理员");
    return rc;
}

int setup_init(store *st, const setup_opts *o, char *password_out, size_t size)
{
    init_ctx c = {.o = o};
    if (o->admin_password) {
        ystrlcpy(password_out, o->admin_password, size);
    } else {
        /* 12 characters from an alphabet without look-alikes, plus a digit. */
        static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        char pw[16];
        for (int i = 0; i < 12; i++)
            pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        pw[12] = (char)('2' + randombytes_uniform(8));
        pw[13] = '\0';
        ystrlcpy(password_out, pw, size);
        c.must_change = true;
    }
    if (auth_hash_password(password_out, c.hash))
        return YC_EIO;
    return store_write_sync(st, init_tx, &c);
}

/* ------------------------------------------------------------ demo county */

typedef struct demo_user {
    const char *username, *display_name, *role;
    int center; /* index into the centers made below */
    int64_t department_id;
} demo_user;

static const char *const town_names[] = {"城关镇便民服务中心", "洛北街道党政综合便民服务中心"};
static const char *const village_names[][2] = {
    {"0", "东关村便民服务站"}, {"0", "西街社区便民服务站"}, {"1", "北窑村便民服务站"}};

/* centers: 0 county, 1-2 towns, 3-5 villages */
static const demo_user demo_users[] = {
    {"manager", "王建国", "manager", 0, 0},     {"supervisor", "李清", "supervisor", 0, 0},
    {"chief", "赵德明", "chief_rep", 0, 1},     {"reviewer", "孙丽", "reviewer", 0, 1},
    {"clerk", "张敏", "clerk", 0, 0},           {"clerk2", "陈晓燕", "clerk", 0, 0},
    {"guide", "刘芳", "guide", 0, 0},           {"town_manager", "周立新", "manager", 1, 0},
    {"town_clerk", "吴婷", "clerk", 1, 0},      {"street_manager", "郑海", "manager", 2, 0},
    {"village_clerk", "何春梅", "clerk", 3, 0}, {"applicant", "钱多多", "applicant", -1, 0},
};

static const setup_login demo_logins[] = {
    {"admin", "系统管理员", "县中心"},        {"manager", "中心管理员", "县中心"},
    {"supervisor", "电子监察", "县中心"},     {"chief", "首席代表", "县中心"},
    {"reviewer", "后台审批人员", "县中心"},   {"clerk", "综合窗口受理人员", "县中心"},
    {"guide", "导服人员", "县中心"},          {"town_manager", "中心管理员", "城关镇"},
    {"town_clerk", "综合窗口受理人员", "城关镇"}, {"village_clerk", "综合窗口受理人员", "东关村"},
};

typedef struct demo_ctx {
    char hash[AUTH_HASH_MAX];
} demo_ctx;

static int demo_tx(db_conn *tx, void *arg)
{
    demo_ctx *c = arg;
    int64_t now = ytime_now_ms();
    int64_t centers[6] = {1};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++)
        rc = accounts_center_insert(tx, centers[0], "town", town_names[i], now, &centers[1 + i]);
    for (int i = 0; i < 3 && !rc; i++)
        rc = accounts_center_insert(tx, centers[1 + (village_names[i][0][0] - '0')], "village",
                                    village_names[i][1], now, &centers[3 + i]);
    for (size_t i = 0; i < YC_ARRAY_LEN(demo_users) && !rc; i++) {
        const demo_user *u = &demo_users[i];
        int64_t id;
        rc = accounts_user_insert(tx, u->username, u->display_name, c->hash, false, now, &id);
        if (rc)
            break;
        json_t *roles = u->center < 0 ? json_pack("[{s:s}]", "role", u->role)
                        : u->department_id
                            ? json_pack("[{s:s,s:I,s:I}]", "role", u->role, "center_id",
                                        (json_int_t)centers[u->center], "department_id",
                                        (json_int_t)u->department_id)
                            : json_pack("[{s:s,s:I}]", "role", u->role, "center_id",
                                        (json_int_t)centers[u->center]);
        rc = accounts_roles_replace(tx, id, roles);
        json_decref(roles);
    }
    int64_t nid;
    if (!rc)
        rc = notices_insert(tx, centers[0], "关于元旦假期大厅开放时间的通知",
                            "元旦假期（1月1日）大厅暂停对外服务，1月2日起恢复正常。"
                            "期间可通过网上办事大厅和24小时自助服务区办理部分事项。",
                            0, now, &nid);
    if (!rc)
        rc = audit_append(tx, &cli_actor, "demo_load", "center", "1",
                          "载入演示数据：2个乡镇（街道）中心、3个村（社区）服务站、12个演示账号");
    return rc;
}

int setup_demo(store *st, const char *demo_password, const setup_login **logins, int *n)
{
    demo_ctx c;
    if (auth_hash_password(demo_password, c.hash))
        return YC_EIO;
    *logins = demo_logins;
    *n = (int)YC_ARRAY_LEN(demo_logins);
    return store_write_sync(st, demo_tx, &c);
}
