/*
 * cli.h - subcommands and their shared options.
 *
 * Settings come from, in rising priority: built-in defaults, the config file
 * (DATA/yichuang.conf or --config FILE), then command-line flags.
 */
#ifndef YC_CLI_H
#define YC_CLI_H

#include "api/api.h"

typedef struct cli_opts {
    char data_dir[1024];
    char db_path[1200];
    char key_path[1200];
    char config_path[1200];
    api_config api;
    char bind_buf[64], web_buf[1200], port_file_buf[1200];
    char holidays_buf[1200], demo_buf[1200];
    /* init / demo */
    const char *admin_user;
    const char *admin_password;
    const char *center_name;
    const char *holidays_path; /* national holiday data to import at init */
    const char *demo_path;     /* the demo county */
    bool replace;
    /* backup */
    const char *out_path;
    /* import / export catalog */
    const char *csv_dir;
    int log_level;
    /* outbox (短信等外发消息) */
    char outbox_sender[16]; /* file | webhook */
    char outbox_file[1200]; /* default DATA/outbox.jsonl */
    char outbox_url[512];
    char outbox_secret[128];
    int outbox_poll_ms, outbox_retry_s;
} cli_opts;

/* Parse flags common to all commands (and the config file). Returns 0, 1 if --help was
 * printed, or -1 after printing an error. argv[0] is the subcommand. */
int cli_parse(int argc, char **argv, cli_opts *o, const char *usage);

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_simulate(int argc, char **argv);

/* Where a shipped file lies: $YICHUANG_SHARE, ./share, then beside the binary (build
 * tree or install prefix). rel "../web" finds the pages. Returns out. */
const char *cli_share_path(const char *rel, char *out, size_t size);

/* Shared steps. */
int cli_prepare_data(cli_opts *o); /* data dir + key file (0600) */
int cli_serve(cli_opts *o, store *st);

#endif
