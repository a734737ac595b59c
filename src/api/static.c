/*
 * static.c - the web pages: files under web_root, GET only.
 *
 * MHD unescapes the path before we see it, so "..", NUL and backslashes are refused
 * after decoding. Files are sent with sendfile from an fd. ETag from size and mtime
 * lets browsers revalidate cheaply; pages change when the binary is upgraded. A directory
 * with an index.html asked for without its trailing slash ("/portal") is redirected to
 * it ("/portal/"); other directories stay 404.
 */
#include "api/internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const mime_types[][2] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".wav", "audio/wav"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *mime_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < YC_ARRAY_LEN(mime_types); i++)
            if (strcmp(dot, mime_types[i][0]) == 0)
                return mime_types[i][1];
    return "application/octet-stream";
}

static bool path_safe(const char *p)
{
    if (p[0] != '/' || strstr(p, "..") || strchr(p, '\\') || strstr(p, "//"))
        return false;
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20)
            return false;
    return true;
}

/* Does the directory dir hold an index.html file? */
static bool has_index(const char *dir)
{
    ybuf p = {0};
    ybuf_printf(&p, "%s/index.html", dir);
    struct stat st;
    bool yes = !stat(p.data, &st) && S_ISREG(st.st_mode);
    ybuf_release(&p);
    return yes;
}

void static_serve(api_req *r)
{
    const char *url = r->url;
    if (!path_safe(url)) {
        api_fail(r, 404, "NOT_FOUND", "", "页面不存在");
        return;
    }
    ybuf path = {0};
    ybuf_printf(&path, "%s%s", r->srv->cfg.web_root, url);
    if (url[strlen(url) - 1] == '/')
        ybuf_adds(&path, "index.html");
    int fd = open(path.data, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && !fstat(fd, &st) && S_ISDIR(st.st_mode) && url[strlen(url) - 1] != '/' &&
        has_index(path.data)) {
        /* "/portal" → "/portal/", whose index.html is served above */
        close(fd);
        ybuf loc = {0};
        ybuf_printf(&loc, "%s/", url);
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, "Location", loc.data);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        r->status = 301;
        r->resp_file = resp;
        r->answered = true;
        ybuf_release(&loc);
        ybuf_release(&path);
        return;
    }
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        ybuf_release(&path);
        api_fail(r, 404, "NOT_FOUND", "", "页面不存在");
        return;
    }
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    const char *inm = api_header(r, "If-None-Match");
    struct MHD_Response *resp;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        r->status = 304;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        r->status = 200;
        MHD_add_response_header(resp, "Content-Type", mime_for(path.data));
    }
    MHD_add_response_header(resp, "ETag", etag);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    r->resp_file = resp;
    r->answered = true;
    ybuf_release(&path);
}
