/*
 * config.c - flags and the config file.
 *
 * The file is `key = value` lines with # comments; keys are the long flag names
 * without dashes (port, bind, threads, web, body_limit, timeout, access_log,
 * secure_cookie, session_hours, max_failed_logins, lockout_minutes, sse_heartbeat,
 * outbox_sender, outbox_file, outbox_webhook_url, outbox_webhook_secret, outbox_poll_ms,
 * outbox_retry_s).
 * Unknown keys and bad values are errors that name the line: a typo in production
 * config must not be silently ignored.
 */
#include "cli/cli.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int set_int(const char *val, int64_t min, int64_t max, int64_t *out, const char *key,
                   const char *where)
{
    if (yparse_i64(val, min, max, out)) {
        fprintf(stderr, "yichuang: %s%s 的值“%s”无效（应为%lld至%lld的整数）\n", where, key, val,
                (long long)min, (long long)max);
        return -1;
    }
    return 0;
}

static int set_bool(const char *val, bool *out, const char *key, const char *where)
{
    if (!strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "on") || !strcmp(val, "1"))
        *out = true;
    else if (!strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "off") ||
             !strcmp(val, "0"))
        *out = false;
    else {
        fprintf(stderr, "yichuang: %s%s 的值“%s”无效（应为true或false）\n", where, key, val);
        return -1;
    }
    return 0;
}

/* Apply one setting. 0, -1 on a bad value, -2 for an unknown key. */
static int apply(cli_opts *o, const char *key, const char *val, const char *where)
{
    int64_t v;
    api_config *a = &o->api;
    if (!strcmp(key, "port")) {
        if (set_int(val, 0, 65535, &v, key, where))
            return -1;
        a->port = (int)v;
    } else if (!strcmp(key, "bind")) {
        ystrlcpy(o->bind_buf, val, sizeof(o->bind_buf));
        a->bind_addr = o->bind_buf;
    } else if (!strcmp(key, "threads")) {
        if (set_int(val, 1, 64, &v, key, where))
            return -1;
        a->threads = (int)v;
    } else if (!strcmp(key, "web")) {
        ystrlcpy(o->web_buf, val, sizeof(o->web_buf));
        a->web_root = o->web_buf;
    } else if (!strcmp(key, "port_file") || !strcmp(key, "port-file")) {
        ystrlcpy(o->port_file_buf, val, sizeof(o->port_file_buf));
        a->port_file = o->port_file_buf;
    } else if (!strcmp(key, "body_limit")) {
        if (set_int(val, 1024, 64LL * 1024 * 1024, &v, key, where))
            return -1;
        a->body_limit = (size_t)v;
    } else if (!strcmp(key, "timeout")) {
        if (set_int(val, 1, 3600, &v, key, where))
            return -1;
        a->conn_timeout_s = (int)v;
    } else if (!strcmp(key, "sse_heartbeat")) {
        if (set_int(val, 1, 300, &v, key, where))
            return -1;
        a->sse_heartbeat_ms = v * 1000;
    } else if (!strcmp(key, "access_log")) {
        return set_bool(val, &a->access_log, key, where);
    } else if (!strcmp(key, "secure_cookie")) {
        return set_bool(val, &a->secure_cookie, key, where);
    } else if (!strcmp(key, "session_hours")) {
        if (set_int(val, 1, 24 * 30, &v, key, where))
            return -1;
        a->session_ttl_ms = v * 3600 * 1000;
    } else if (!strcmp(key, "max_failed_logins")) {
        if (set_int(val, 1, 100, &v, key, where))
            return -1;
        a->max_failed_logins = (int)v;
    } else if (!strcmp(key, "lockout_minutes")) {
        if (set_int(val, 1, 24 * 60, &v, key, where))
            return -1;
        a->lockout_ms = v * 60 * 1000;
    } else if (!strcmp(key, "outbox_sender")) {
        if (strcmp(val, "file") && strcmp(val, "webhook")) {
            fprintf(stderr, "yichuang: %s%s 的值“%s”无效（应为file或webhook）\n", where, key, val);
            return -1;
        }
        ystrlcpy(o->outbox_sender, val, sizeof(o->outbox_sender));
    } else if (!strcmp(key, "outbox_file")) {
        ystrlcpy(o->outbox_file, val, sizeof(o->outbox_file));
    } else if (!strcmp(key, "outbox_webhook_url")) {
        ystrlcpy(o->outbox_url, val, sizeof(o->outbox_url));
    } else if (!strcmp(key, "outbox_webhook_secret")) {
        ystrlcpy(o->outbox_secret, val, sizeof(o->outbox_secret));
    } else if (!strcmp(key, "outbox_poll_ms")) {
        if (set_int(val, 50, 60000, &v, key, where))
            return -1;
        o->outbox_poll_ms = (int)v;
    } else if (!strcmp(key, "outbox_retry_s")) {
        if (set_int(val, 1, 3600, &v, key, where))
            return -1;
        o->outbox_retry_s = (int)v;
    } else {
        return -2;
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int load_file(cli_opts *o, const char *path, bool must_exist)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        fprintf(stderr, "yichuang: 无法读取配置文件 %s：%s\n", path, strerror(errno));
        return -1;
    }
    char line[2048];
    int lineno = 0, rc = 0;
    while (!rc && fgets(line, sizeof(line), f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        char where[1300];
        snprintf(where, sizeof(where), "%s 第%d行：", path, lineno);
        if (!eq) {
            fprintf(stderr, "yichuang: %s应为“键 = 值”\n", where);
            rc = -1;
            break;
        }
        *eq = '\0';
        rc = apply(o, trim(s), trim(eq + 1), where);
        if (rc == -2)
            fprintf(stderr, "yichuang: %s不认识的配置项“%s”\n", where, trim(s));
    }
    fclose(f);
    return rc ? -1 : 0;
}

const char *cli_share_path(const char *rel, char *out, size_t size)
{
    /* The data files ship in share/ beside web/: look where a checkout or an install
     * puts them, so the program works from any working directory. */
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    const char *env = getenv("YICHUANG_SHARE");
    char cand[4][1200];
    int k = 0;
    if (env && *env)
        snprintf(cand[k++], sizeof(cand[0]), "%s/%s", env, rel);
    snprintf(cand[k++], sizeof(cand[0]), "share/%s", rel);                     /* repo root */
    snprintf(cand[k++], sizeof(cand[0]), "%s/../../share/%s", exe, rel);       /* build/<preset>/ */
    snprintf(cand[k++], sizeof(cand[0]), "%s/../share/yichuang/%s", exe, rel); /* installed */
    for (int i = 0; i < k; i++) {
        if (access(cand[i], R_OK) == 0) {
            ystrlcpy(out, cand[i], size);
            return out;
        }
    }
    ystrlcpy(out, cand[env && *env ? 1 : 0], size);
    return out;
}

int cli_parse(int argc, char **argv, cli_opts *o, const char *usage)
{
    memset(o, 0, sizeof(*o));
    api_config_defaults(&o->api);
    ystrlcpy(o->data_dir, "data", sizeof(o->data_dir));
    o->admin_user = "admin";
    o->center_name = "示范县政务服务中心";
    o->holidays_path = cli_share_path("holidays/cn.json", o->holidays_buf, sizeof(o->holidays_buf));
    o->demo_path = cli_share_path("demo/county.json", o->demo_buf, sizeof(o->demo_buf));
    o->api.web_root = cli_share_path("../web", o->web_buf, sizeof(o->web_buf));
    /* First pass: --data and --config decide which file to read. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (i + 1 < argc && !strcmp(argv[i], "--data"))
            ystrlcpy(o->data_dir, argv[i + 1], sizeof(o->data_dir));
        if (i + 1 < argc && !strcmp(argv[i], "--config"))
            ystrlcpy(o->config_path, argv[i + 1], sizeof(o->config_path));
    }
    snprintf(o->db_path, sizeof(o->db_path), "%s/yichuang.db", o->data_dir);
    snprintf(o->key_path, sizeof(o->key_path), "%s/secret.key", o->data_dir);
    bool explicit_config = o->config_path[0] != '\0';
    if (!explicit_config)
        snprintf(o->config_path, sizeof(o->config_path), "%s/yichuang.conf", o->data_dir);
    if (load_file(o, o->config_path, explicit_config))
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--data") || !strcmp(a, "--config")) {
            i++;
            continue;
        }
        if (!strcmp(a, "--replace")) {
            o->replace = true;
            continue;
        }
        if (!strcmp(a, "--no-access-log")) {
            o->api.access_log = false;
            continue;
        }
        if (!strcmp(a, "--verbose")) {
            ylog_set_level(YLOG_DEBUG);
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || !next) {
            fprintf(stderr, "yichuang: 无法识别的参数“%s”（--help 查看用法）\n", a);
            return -1;
        }
        i++;
        if (!strcmp(a, "--admin-user"))
            o->admin_user = next;
        else if (!strcmp(a, "--admin-password"))
            o->admin_password = next;
        else if (!strcmp(a, "--center-name"))
            o->center_name = next;
        else if (!strcmp(a, "--out"))
            o->out_path = next;
        else if (!strcmp(a, "--csv"))
            o->csv_dir = next;
        else if (!strcmp(a, "--holidays"))
            o->holidays_path = next;
        else if (!strcmp(a, "--demo-data"))
            o->demo_path = next;
        else {
            char key[64];
            ystrlcpy(key, a + 2, sizeof(key));
            for (char *k = key; *k; k++)
                if (*k == '-')
                    *k = '_';
            int rc = apply(o, key, next, "参数 --");
            if (rc == -2)
                fprintf(stderr, "yichuang: 无法识别的参数“%s”（--help 查看用法）\n", a);
            if (rc)
                return -1;
        }
    }
    return 0;
}
