/*
 * cmd_tools.c - backup, audit verify, routes: commands that inspect or copy a database,
 * safe to run while the server is serving it.
 */
#include "cli/cli.h"
#include "store/audit.h"
#include "store/db.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void backup_progress(int done, int total, void *arg)
{
    int *last = arg;
    int pct = total ? done * 100 / total : 100;
    if (pct / 10 != *last / 10 || pct == 100) {
        fprintf(stderr, "\r备份进度：%3d%%（%d/%d 页）", pct, done, total);
        *last = pct;
    }
}

/* a and b name the same existing file. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int cmd_backup(int argc, char **argv)
{
    static const char usage[] = "用法: yichuang backup --out FILE [--data DIR]\n"
                                "在线备份：服务运行时也能得到一致的数据库副本。"
                                "请同时妥善保存 DATA/secret.key。\n";
    cli_opts o;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    if (!o.out_path) {
        fprintf(stderr, "yichuang: 请用 --out 指定备份文件\n");
        return 2;
    }
    if (access(o.db_path, R_OK)) {
        fprintf(stderr, "yichuang: 找不到数据库 %s\n", o.db_path);
        return 1;
    }
    /* The copy begins by removing the output file: were it the live database (or its
     * WAL), every write the server made afterwards would be lost. */
    char wal[1300], shm[1300];
    snprintf(wal, sizeof(wal), "%s-wal", o.db_path);
    snprintf(shm, sizeof(shm), "%s-shm", o.db_path);
    if (same_file(o.out_path, o.db_path) || same_file(o.out_path, wal) ||
        same_file(o.out_path, shm)) {
        fprintf(stderr, "yichuang: 备份文件不能是数据库本身（%s）\n", o.out_path);
        return 2;
    }
    int last = -1;
    rc = db_backup(o.db_path, o.out_path, backup_progress, &last);
    fputc('\n', stderr);
    if (rc) {
        fprintf(stderr, "yichuang: 备份失败\n");
        return 1;
    }
    printf("已备份到 %s\n", o.out_path);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    static const char usage[] =
        "用法: yichuang audit verify [--data DIR]\n"
        "逐条校验操作日志的哈希链，指出第一条被修改、删除或调换顺序的记录。\n"
        "退出码：0 完整，1 发现篡改，2 无法校验。\n";
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            fputs(usage, stdout);
            return 0;
        }
        fputs(usage, stderr);
        return 2;
    }
    cli_opts o;
    int rc = cli_parse(argc - 1, argv + 1, &o, usage);
    if (rc)
        return rc < 0 ? 2 : 0;
    db_conn *c;
    if (access(o.db_path, R_OK) || db_open(o.db_path, DB_READER, &c)) {
        fprintf(stderr, "yichuang: 无法打开数据库 %s\n", o.db_path);
        return 2;
    }
    audit_report rep;
    rc = audit_verify(c, &rep);
    db_close(c);
    if (rc) {
        fprintf(stderr, "yichuang: 读取操作日志失败\n");
        return 2;
    }
    if (rep.ok) {
        printf("操作日志链完整：共 %lld 条记录\n", (long long)rep.rows);
        return 0;
    }
    printf("操作日志链被破坏：第 %lld 条 —— %s（此前 %lld 条完好）\n", (long long)rep.first_bad_seq,
           rep.problem, (long long)rep.rows);
    return 1;
}

int cmd_routes(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("用法: yichuang routes\n以JSON列出全部接口：方法、路径、允许的角色、标志、说明。");
        return 0;
    }
    json_t *arr = json_array();
    for (int i = 0; i < api_route_count; i++) {
        const api_route *rt = &api_routes[i];
        json_t *roles = json_array();
        for (int k = 0; k < role_count; k++)
            if (rt->roles & role_table[k].bit)
                json_array_append_new(roles, json_string(role_table[k].code));
        json_t *flags = json_array();
        if (rt->flags & ROUTE_PUBLIC)
            json_array_append_new(flags, json_string("public"));
        if (rt->flags & ROUTE_LOOPBACK)
            json_array_append_new(flags, json_string("loopback"));
        if (rt->flags & ROUTE_ANY_SESSION)
            json_array_append_new(flags, json_string("any_session"));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:o,s:s}", "method", rt->method, "path",
                                             rt->pattern, "roles", roles, "flags", flags, "summary",
                                             rt->summary));
    }
    char *s = json_dumps(arr, JSON_INDENT(1));
    puts(s);
    free(s);
    json_decref(arr);
    return 0;
}
