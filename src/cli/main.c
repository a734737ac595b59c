/*
 * main.c - `yichuang`, the one program: subcommands as thin front ends over the
 * library (git's way).
 */
#include "cli/cli.h"
#include "service/auth.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "一窗 政务服务中心系统\n"
    "\n"
    "用法: yichuang <命令> [参数]\n"
    "\n"
    "命令:\n"
    "  init      新建数据库和第一个系统管理员\n"
    "  demo      初始化并载入演示县数据，然后启动服务\n"
    "  serve     启动HTTP服务（接口、页面）\n"
    "  backup    在线备份数据库（服务运行时也可）\n"
    "  audit     校验操作日志链：yichuang audit verify\n"
    "  import    导入数据：yichuang import calendar|catalog FILE，或 import catalog --csv DIR\n"
    "  export    导出事项目录：yichuang export catalog [FILE | --csv DIR]\n"
    "  routes    以JSON列出全部接口及其权限规则\n"
    "  simulate  模拟大厅排队的一天，给出窗口配置建议和假设分析\n"
    "\n"
    "每个命令都可加 --help 查看其参数。\n";

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (auth_init()) {
        fprintf(stderr, "yichuang: libsodium 初始化失败\n");
        return 1;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"init", cmd_init},     {"demo", cmd_demo},     {"serve", cmd_serve},
        {"backup", cmd_backup}, {"audit", cmd_audit},   {"routes", cmd_routes},
        {"import", cmd_import}, {"export", cmd_export}, {"simulate", cmd_simulate},
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(cmds); i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "yichuang: 没有“%s”这个命令\n\n%s", argv[1], usage);
    return 2;
}
