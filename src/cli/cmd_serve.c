/*
 * cmd_serve.c - init, demo and serve: the commands that create and run a center; and
 * import / export, which work on its database.
 */
#include "api/server.h"
#include "cli/cli.h"
#include "service/booking.h"
#include "service/outbox.h"
#include "service/auth.h"
#include "service/pii.h"
#include "service/catalog_svc.h"
#include "service/setup.h"
#include "store/accounts.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char serve_flags[] =
    "  --data DIR          数据目录（默认 ./data）\n"
    "  --config FILE       配置文件（默认 DATA/yichuang.conf，可无）\n"
    "  --port N            监听端口（默认 8080；0 表示任选空闲端口）\n"
    "  --bind ADDR         监听地址（默认 0.0.0.0）\n"
    "  --threads N         HTTP工作线程数（默认 4）\n"
    "  --web DIR           页面目录（默认 ./web）\n"
    "  --port-file FILE    开始监听后把端口号写入此文件\n"
    "  --body-limit BYTES  请求体上限（默认 1048576）\n"
    "  --timeout SECONDS   连接空闲超时（默认 30）\n"
    "  --sse-heartbeat SECONDS  实时事件流无事件时的心跳间隔（默认 15）\n"
    "  --session-hours N   登录会话有效期（默认 12）\n"
    "  --outbox-sender file|webhook  短信等外发消息的发送方式（默认 file：写入\n"
    "                      DATA/outbox.jsonl，号码打码；webhook：POST到短信网关）\n"
    "  --outbox-file FILE  file方式的记录文件\n"
    "  --outbox-webhook-url URL      webhook方式的网关地址\n"
    "  --outbox-webhook-secret TEXT  webhook签名密钥（HMAC-SHA256，可无）\n"
    "  --outbox-retry-s N  发送失败后首次重试间隔秒数（默认 30，之后加倍）\n"
    "  --outbox-poll-ms N  检查待发消息的间隔毫秒数（默认 1000）\n"
    "  --no-access-log     不写访问日志\n";

int cli_prepare_data(cli_opts *o)
{
    if (mkdir(o->data_dir, 0700) && errno != EEXIST) {
        fprintf(stderr, "yichuang: 无法创建数据目录 %s：%s\n", o->data_dir, strerror(errno));
        return -1;
    }
    /* The key that will encrypt personal data at rest. Created once, never replaced:
     * losing it loses the data it protects, so back it up with the database. */
    int fd = open(o->key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        unsigned char key[32];
        randombytes_buf(key, sizeof(key));
        char hex[65];
        yhex(key, sizeof(key), hex);
        hex[64] = '\n';
        bool ok = write(fd, hex, 65) == 65 && fsync(fd) == 0;
        close(fd);
        sodium_memzero(key, sizeof(key));
        sodium_memzero(hex, sizeof(hex));
        if (!ok) {
            fprintf(stderr, "yichuang: 无法写入密钥文件 %s\n", o->key_path);
            return -1;
        }
    } else if (errno != EEXIST) {
        fprintf(stderr, "yichuang: 无法创建密钥文件 %s：%s\n", o->key_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The sender the configuration asks for; NULL after printing why. */
static outbox_sender *outbox_sender_of(cli_opts *o)
{
    if (!strcmp(o->outbox_sender, "webhook")) {
        if (!o->outbox_url[0]) {
            fprintf(stderr, "yichuang: outbox_sender = webhook 需要设置 outbox_webhook_url\n");
            return NULL;
        }
        outbox_sender *s = outbox_sender_webhook(o->outbox_url, o->outbox_secret, 10000);
        if (s)
            ylog_info("outbox", "messages go to the webhook %s", o->outbox_url);
        return s;
    }
    char path[1300];
    if (o->outbox_file[0])
        ystrlcpy(path, o->outbox_file, sizeof(path));
    else
        snprintf(path, sizeof(path), "%s/outbox.jsonl", o->data_dir);
    outbox_sender *s = outbox_sender_file(path);
    if (s)
        ylog_info("outbox", "messages are written to %s (sender: file)", path);
    return s;
}

int cli_serve(cli_opts *o, store *st)
{
    /* Signals are taken by sigwait in this thread only; every thread started below
     * inherits the blocked mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    outbox_sender *sender = outbox_sender_of(o);
    if (!sender)
        return 1;
    outbox_config ocfg = {.sender = sender,
                          .poll_ms = o->outbox_poll_ms,
                          .retry_s = o->outbox_retry_s,
                          .sweep = booking_sweep};
    outbox_worker *worker;
    if (outbox_worker_start(st, &ocfg, &worker)) {
        outbox_sender_free(sender);
        return 1;
    }
    api_server *srv;
    if (api_server_start(st, &o->api, &srv)) {
        outbox_worker_stop(worker);
        outbox_sender_free(sender);
        return 1;
    }
    int sig = 0;
    sigwait(&set, &sig);
    ylog_info("shutdown", "signal %d: no new connections, finishing requests in flight", sig);
    api_server_quiesce(srv);
    int left = api_server_drain(srv, 10000);
    if (left)
        ylog_warn("shutdown", "%d requests still running after 10 s; closing them", left);
    api_server_stop(srv);
    outbox_worker_stop(worker);
    outbox_sender_free(sender);
    return 0;
}

static int open_store(cli_opts *o, store **st)
{
    if (cli_prepare_data(o) || pii_init(o->key_path)) {
        fprintf(stderr, "yichuang: 无法读取密钥文件 %s\n", o->key_path);
        return -1;
    }
    if (store_open(o->db_path, st)) {
        fprintf(stderr, "yichuang: 无法打开数据库 %s\n", o->db_path);
        return -1;
    }
    return 0;
}

static const char init_usage[] =
    "用法: yichuang init [参数]\n"
    "新建数据库、根中心和第一个系统管理员。\n\n"
    "  --data DIR              数据目录（默认 ./data）\n"
    "  --admin-user NAME       管理员用户名（默认 admin）\n"
    "  --admin-password PW     管理员密码（不给则随机生成并打印，首次登录须修改）\n"
    "  --center-name NAME      根中心名称（默认 示范县政务服务中心）\n"
    "  --holidays FILE         节假日数据（默认 share/holidays/cn.json）\n";

static int do_init(cli_opts *o, store *st)
{
    setup_opts so = {o->center_name, o->admin_user, o->admin_password, o->holidays_path};
    char pw[256], problem[512];
    int years = 0;
    if (o->admin_password) {
        yc_err e;
        if (auth_password_policy(o->admin_password, "admin_password", &e)) {
            fprintf(stderr, "yichuang: 管理员密码不符合要求：%s\n", e.message);
            return -1;
        }
    }
    if (setup_init(st, &so, pw, sizeof(pw), &years, problem, sizeof(problem))) {
        fprintf(stderr, "yichuang: 初始化失败\n");
        return -1;
    }
    printf("已初始化：%s\n管理员：%s", o->db_path, o->admin_user);
    if (o->admin_password)
        printf("（密码为 --admin-password 所给）\n");
    else
        printf("  初始密码：%s（首次登录须修改）\n", pw);
    if (problem[0])
        fprintf(stderr,
                "yichuang: 警告：%s。工作日将只按周一至周五计算，请用 yichuang import "
                "calendar 导入节假日数据。\n",
                problem);
    else
        printf("节假日数据：已导入%d年（%s）\n", years, o->holidays_path);
    return 0;
}

int cmd_init(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, &o, init_usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    store *st;
    if (open_store(&o, &st))
        return 1;
    if (setup_done(st)) {
        fprintf(stderr, "yichuang: %s 已经初始化过，未做任何改动\n", o.db_path);
        store_close(st);
        return 1;
    }
    rc = do_init(&o, st);
    store_close(st);
    return rc ? 1 : 0;
}

static const char demo_password[] = "Demo2026yc";

/* Print s padded with spaces to `cols` terminal columns (CJK characters take two). */
static void print_padded(const char *s, int cols)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE0 ? 2 : 1;
    fputs(s, stdout);
    for (; w < cols; w++)
        fputc(' ', stdout);
}

/* One line per distinct (role, center) among the demo accounts. */
static void print_demo_logins(store *st)
{
    json_t *users = accounts_users_list(store_reader(st), NULL, NULL, 0, 500);
    json_t *seen = json_object();
    size_t i;
    json_t *u;
    printf("\n演示账号（密码均为 %s）：\n", demo_password);
    json_array_foreach(users, i, u)
    {
        json_t *role = json_array_get(json_object_get(u, "roles"), 0);
        const role_info *ri = role_by_code(json_string_value(json_object_get(role, "role")));
        const char *center = json_string_value(json_object_get(role, "center_name"));
        char key[256];
        snprintf(key, sizeof(key), "%s@%s", ri ? ri->code : "", center ? center : "");
        if (!ri || json_object_get(seen, key))
            continue;
        json_object_set_new(seen, key, json_true());
        fputs("  ", stdout);
        print_padded(json_string_value(json_object_get(u, "username")), 17);
        print_padded(ri->name, 18);
        puts(center ? center : "");
    }
    json_decref(seen);
    json_decref(users);
}

int cmd_demo(int argc, char **argv)
{
    static char usage[2048];
    snprintf(usage, sizeof(usage),
             "用法: yichuang demo [参数]\n"
             "初始化（如尚未初始化）并载入演示县：县中心、乡镇（街道）中心、村（社区）服务站、"
             "部门、窗口、工作人员、授权、群众档案和节假日数据，然后启动服务。\n\n%s"
             "  --demo-data FILE    演示县数据（默认 share/demo/county.json）\n"
             "  --holidays FILE     节假日数据（默认 share/holidays/cn.json）\n",
             serve_flags);
    cli_opts o;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    store *st;
    if (open_store(&o, &st))
        return 1;
    if (!setup_done(st)) {
        o.admin_password = demo_password;
        char hash[AUTH_HASH_MAX], problem[512];
        if (do_init(&o, st) || auth_hash_password(demo_password, hash) ||
            setup_demo_file(st, o.demo_path, hash, problem, sizeof(problem))) {
            fprintf(stderr, "yichuang: 载入演示数据失败：%s\n", problem);
            store_close(st);
            return 1;
        }
        print_demo_logins(st);
    } else {
        printf("数据库 %s 已存在，直接启动（演示账号密码为 %s）\n", o.db_path, demo_password);
    }
    /* No SMS gateway in the demo: the portal shows the verification code itself. */
    o.api.sms_demo = true;
    printf("演示环境不发真实短信：网上预约的短信验证码直接显示在页面上\n");
    printf("\n请用浏览器打开 http://127.0.0.1:%d/\n", o.api.port);
    fflush(stdout);
    rc = cli_serve(&o, st);
    store_close(st);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    static const char usage[] =
        "用法: yichuang import calendar FILE [--replace] [--data DIR]\n"
        "      yichuang import catalog FILE [--data DIR]\n"
        "      yichuang import catalog --csv DIR [--data DIR]\n"
        "calendar：导入全国节假日与调休数据（按年格式，或 npm 包 chinese-days 的格式）。\n"
        "全部校验通过才写入；已有的年份须加 --replace 才会覆盖。\n"
        "catalog：导入事项目录（JSON，格式同 GET /api/v1/catalog/export），全部校验通过才写入，\n"
        "有问题时逐条列出；导入的版本直接发布。\n"
        "  --csv DIR    改为读取文件夹 DIR 中的 CSV 文件（items.csv、materials.csv "
        "等，一表一文件，\n"
        "               格式同 GET /api/v1/catalog/export/csv，见 docs/catalog-format.md）；\n"
        "               问题逐条注明文件和行号\n";
    bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    if (argc < 3 || (strcmp(argv[1], "calendar") != 0 && strcmp(argv[1], "catalog") != 0)) {
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    /* FILE, when given, comes first; "import catalog --csv DIR" has none. */
    bool has_file = strncmp(argv[2], "--", 2) != 0;
    const char *file = has_file ? argv[2] : NULL;
    cli_opts o;
    int rc = has_file ? cli_parse(argc - 2, argv + 2, &o, usage)
                      : cli_parse(argc - 1, argv + 1, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    bool catalog = !strcmp(argv[1], "catalog");
    if (o.csv_dir && (!catalog || file)) {
        fprintf(stderr, "yichuang: %s\n",
                catalog ? "FILE 与 --csv 只能给一个" : "节假日数据不支持 --csv");
        return 2;
    }
    if (!file && !o.csv_dir) {
        fputs(usage, stderr);
        return 2;
    }
    store *st;
    if (open_store(&o, &st))
        return 1;
    if (catalog) {
        catsvc_import_result res;
        char *report = NULL;
        rc = o.csv_dir ? catsvc_import_csv_dir(st, o.csv_dir, &res, &report)
                       : catsvc_import_file(st, file, &res, &report);
        store_close(st);
        if (rc) {
            fprintf(stderr, "yichuang: %s\n", report ? report : "导入失败");
            free(report);
            return 1;
        }
        printf("已导入事项目录：新增%d项、更新%d项、未变%d项、一件事%d项\n", res.created,
               res.updated, res.unchanged, res.bundles);
        return 0;
    }
    int years;
    char problem[512];
    rc = setup_import_holidays(st, file, o.replace, &years, problem, sizeof(problem));
    store_close(st);
    if (rc) {
        fprintf(stderr, "yichuang: %s\n", problem);
        return 1;
    }
    printf("已导入%d年的节假日数据\n", years);
    return 0;
}

/* Write len bytes to path (created or replaced). 0, or -1 with errno set. */
static int write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    size_t n = fwrite(data, 1, len, fp);
    int bad = n != len || ferror(fp);
    if (fclose(fp) || bad)
        return -1;
    return 0;
}

/* The catalog as CSV files in dir (made if missing). */
static int export_csv(json_t *doc, const char *dir)
{
    catalog_csv_file *files;
    int n;
    if (catalog_csv_write(doc, &files, &n)) {
        fprintf(stderr,
                "yichuang: 目录中有CSV无法原样表示的内容（如列表项含分号），请改用JSON导出\n");
        return 1;
    }
    if (mkdir(dir, 0755) && errno != EEXIST) {
        fprintf(stderr, "yichuang: 无法创建文件夹 %s：%s\n", dir, strerror(errno));
        catalog_csv_files_free(files, n);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        char path[1400];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
        if (write_file(path, files[i].text, files[i].len)) {
            fprintf(stderr, "yichuang: 无法写入 %s：%s\n", path, strerror(errno));
            rc = 1;
        }
    }
    if (!rc)
        printf("已导出事项目录：事项%zu项、一件事%zu项，%d个CSV文件写入 %s\n",
               json_array_size(json_object_get(doc, "items")),
               json_array_size(json_object_get(doc, "bundles")), n, dir);
    catalog_csv_files_free(files, n);
    return rc;
}

/* The catalog document to path, or to standard output when path is NULL. */
static int export_json(json_t *doc, const char *path)
{
    char *text = json_dumps(doc, JSON_INDENT(2));
    if (!text) {
        fprintf(stderr, "yichuang: 导出失败（内存不足）\n");
        return 1;
    }
    size_t len = strlen(text);
    text = xrealloc(text, len + 2);
    text[len++] = '\n';
    text[len] = '\0';
    int rc = 0;
    if (!path) {
        rc = fwrite(text, 1, len, stdout) != len || fflush(stdout) ? 1 : 0;
        if (rc)
            fprintf(stderr, "yichuang: 写入标准输出失败\n");
    } else if (write_file(path, text, len)) {
        fprintf(stderr, "yichuang: 无法写入 %s：%s\n", path, strerror(errno));
        rc = 1;
    } else {
        printf("已导出事项目录：事项%zu项、一件事%zu项，写入 %s\n",
               json_array_size(json_object_get(doc, "items")),
               json_array_size(json_object_get(doc, "bundles")), path);
    }
    free(text);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const char usage[] =
        "用法: yichuang export catalog [FILE] [--data DIR]\n"
        "      yichuang export catalog --csv DIR [--data DIR]\n"
        "catalog：导出已发布的事项目录（JSON，格式同 GET /api/v1/catalog/export）到 FILE，\n"
        "不给 FILE 则输出到标准输出；可用 yichuang import catalog 导回。\n"
        "  --csv DIR    改为在文件夹 DIR 中写入 CSV 文件（items.csv、materials.csv "
        "等，一表一文件，\n"
        "               格式同 GET "
        "/api/v1/catalog/export/csv）；文件夹不存在则新建，同名文件被覆盖\n";
    bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    if (argc < 2 || strcmp(argv[1], "catalog") != 0) {
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    bool has_file = argc >= 3 && strncmp(argv[2], "--", 2) != 0 && strcmp(argv[2], "-h") != 0;
    const char *file = has_file ? argv[2] : NULL;
    cli_opts o;
    int rc = has_file ? cli_parse(argc - 2, argv + 2, &o, usage)
                      : cli_parse(argc - 1, argv + 1, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    if (o.csv_dir && file) {
        fprintf(stderr, "yichuang: FILE 与 --csv 只能给一个\n");
        return 2;
    }
    if (access(o.db_path, F_OK)) {
        fprintf(stderr, "yichuang: 数据库尚未初始化，请先运行 yichuang init --data %s\n",
                o.data_dir);
        return 1;
    }
    store *st;
    if (open_store(&o, &st))
        return 1;
    json_t *doc = catsvc_export(store_reader(st));
    store_close(st);
    if (!doc) {
        fprintf(stderr, "yichuang: 读取目录失败（详见日志）\n");
        return 1;
    }
    rc = o.csv_dir ? export_csv(doc, o.csv_dir) : export_json(doc, file);
    json_decref(doc);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    static char usage[2048];
    snprintf(usage, sizeof(usage), "用法: yichuang serve [参数]\n启动HTTP服务。\n\n%s",
             serve_flags);
    cli_opts o;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    store *st;
    if (access(o.db_path, F_OK)) {
        fprintf(stderr, "yichuang: 数据库尚未初始化，请先运行 yichuang init --data %s\n",
                o.data_dir);
        return 1;
    }
    if (open_store(&o, &st))
        return 1;
    if (!setup_done(st)) {
        fprintf(stderr, "yichuang: 数据库尚未初始化，请先运行 yichuang init --data %s\n",
                o.data_dir);
        store_close(st);
        return 1;
    }
    rc = cli_serve(&o, st);
    store_close(st);
    ylog_info("shutdown", "database closed cleanly");
    return rc;
}
