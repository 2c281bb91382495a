/* SPDX-License-Identifier: MIT
 * libcurl through dlopen(); see curlload.h. */
/* The definitions below are libcurl's own functions, so curl's GCC
 * type-checking macros (which turn curl_easy_setopt into a macro) must
 * not apply in this file. */
#define CURL_DISABLE_TYPECHECK
#include "source/curlload.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every function of libcurl that imgaudit calls: return type, name,
 * parameters, arguments. A function added to the code must be added
 * here (the link fails until it is). */
#define CURLLOAD_RETURNING(X) \
    X(CURLcode, curl_global_init, (long flags), (flags)) \
    X(CURL *, curl_easy_init, (void), ()) \
    X(const char *, curl_easy_strerror, (CURLcode code), (code)) \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), \
      (list, data)) \
    X(CURLM *, curl_multi_init, (void), ()) \
    X(CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *e), (m, e)) \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *e), (m, e)) \
    X(CURLMcode, curl_multi_perform, (CURLM *m, int *running), (m, running)) \
    X(CURLMcode, curl_multi_poll, \
      (CURLM *m, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, \
       int *ret), (m, extra_fds, extra_nfds, timeout_ms, ret)) \
    X(CURLMsg *, curl_multi_info_read, (CURLM *m, int *msgs_in_queue), (m, msgs_in_queue)) \
    X(CURLMcode, curl_multi_cleanup, (CURLM *m), (m)) \
    X(CURLU *, curl_url, (void), ()) \
    X(CURLUcode, curl_url_get, (CURLU *u, CURLUPart what, char **part, unsigned int flags), \
      (u, what, part, flags)) \
    X(CURLUcode, curl_url_set, \
      (CURLU *u, CURLUPart what, const char *part, unsigned int flags), \
      (u, what, part, flags)) \
    X(time_t, curl_getdate, (const char *p, const time_t *unused), (p, unused)) \
    X(curl_version_info_data *, curl_version_info, (CURLversion v), (v))

#define CURLLOAD_VOID(X) \
    X(curl_easy_cleanup, (CURL *e), (e)) \
    X(curl_slist_free_all, (struct curl_slist *list), (list)) \
    X(curl_url_cleanup, (CURLU *u), (u)) \
    X(curl_free, (void *p), (p))

/* The three with a variable argument: libcurl reads exactly one, of a
 * type given by the option's number (see forward_one below). */
#define CURLLOAD_VARIADIC(X) \
    X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...)) \
    X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...)) \
    X(CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...))

struct curl_table {
#define FIELD_R(ret, name, params, args) ret (*name) params;
#define FIELD_V(name, params, args) void (*name) params;
#define FIELD_VA(ret, name, params) ret (*name) params;
    CURLLOAD_RETURNING(FIELD_R)
    CURLLOAD_VOID(FIELD_V)
    CURLLOAD_VARIADIC(FIELD_VA)
};

static const struct { const char *name; size_t off; } symbols[] = {
#define SYM_R(ret, name, params, args) {#name, offsetof(struct curl_table, name)},
#define SYM_V(name, params, args) {#name, offsetof(struct curl_table, name)},
#define SYM_VA(ret, name, params) {#name, offsetof(struct curl_table, name)},
    CURLLOAD_RETURNING(SYM_R)
    CURLLOAD_VOID(SYM_V)
    CURLLOAD_VARIADIC(SYM_VA)
};

/* Opens 'soname' and fills 't'. POSIX guarantees that dlsym's object
 * pointer converts to a function pointer; the copy says so without the
 * cast ISO C does not define. */
static void *load(const char *soname, struct curl_table *t, char *err, size_t errlen)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "%s", dlerror());
        return NULL;
    }
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        dlerror();
        void *p = dlsym(h, symbols[i].name);
        if (!p) {
            const char *why = dlerror();
            snprintf(err, errlen, "%s: no %s (%s)", soname, symbols[i].name,
                     why ? why : "null symbol");
            dlclose(h);
            return NULL;
        }
        void (*fp)(void);
        memcpy(&fp, &p, sizeof fp);
        memcpy((char *)t + symbols[i].off, &fp, sizeof fp);
    }
    return h;
}

int curlload_try(const char *soname, char *err, size_t errlen)
{
    struct curl_table t;
    void *h = load(soname, &t, err, errlen);
    if (!h)
        return -1;
    dlclose(h);
    return 0;
}

/* The process-wide table: written once under pthread_once, read by the
 * wrappers afterwards (threads that use curl start after the load). */
static struct curl_table lib;
static bool loaded;
static char load_error[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_once(void)
{
    loaded = load(IMGAUDIT_LIBCURL_SONAME, &lib, load_error, sizeof load_error) != NULL;
}

int curlload_open(struct diags *d)
{
    pthread_once(&once, load_once);
    if (loaded)
        return 0;
    diags_error(d, "cannot load libcurl, which imgaudit needs to reach the API: %s (install "
                   "the libcurl4 package, or the one providing %s)",
                load_error, IMGAUDIT_LIBCURL_SONAME);
    return -1;
}

static const struct curl_table *need(const char *fn)
{
    if (!loaded) {
        fprintf(stderr, "imgaudit: bug: %s called before curlload_open()\n", fn);
        abort();
    }
    return &lib;
}

#define WRAP_R(ret, name, params, args) \
    ret name params { return need(#name)->name args; }
#define WRAP_V(name, params, args) \
    void name params { need(#name)->name args; }
CURLLOAD_RETURNING(WRAP_R)
CURLLOAD_VOID(WRAP_V)

/* The one argument after the option, passed on with the type libcurl
 * will read it as: the option's number says which, in bands of 10,000
 * (CURLOPTTYPE_*; lib/setopt.c reads it the same way, and the multi
 * options use the same bands). */
#define FORWARD_ONE(fn, h, option, ap) \
    ((option) < CURLOPTTYPE_OBJECTPOINT     ? fn(h, option, va_arg(ap, long)) \
     : (option) < CURLOPTTYPE_FUNCTIONPOINT ? fn(h, option, va_arg(ap, void *)) \
     : (option) < CURLOPTTYPE_OFF_T         ? fn(h, option, va_arg(ap, void (*)(void))) \
     : (option) < CURLOPTTYPE_BLOB          ? fn(h, option, va_arg(ap, curl_off_t)) \
                                            : fn(h, option, va_arg(ap, void *)))

/* curl_easy_setopt and curl_multi_setopt: the same forwarding. */
#define WRAP_SETOPT(ret, name, handle_type, option_type) \
    ret name(handle_type *h, option_type option, ...) \
    { \
        const struct curl_table *t = need(#name); \
        va_list ap; \
        va_start(ap, option); \
        ret rc = FORWARD_ONE(t->name, h, option, ap); \
        va_end(ap); \
        return rc; \
    }
WRAP_SETOPT(CURLcode, curl_easy_setopt, CURL, CURLoption)
WRAP_SETOPT(CURLMcode, curl_multi_setopt, CURLM, CURLMoption)

/* Every CURLINFO takes a pointer to where the value goes. */
CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
    const struct curl_table *t = need("curl_easy_getinfo");
    va_list ap;
    va_start(ap, info);
    CURLcode rc = t->curl_easy_getinfo(e, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}
