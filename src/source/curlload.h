/* SPDX-License-Identifier: MIT
 * libcurl, loaded when a command first needs the network, not when the
 * program starts (issue 10, target 4). Linked normally, libcurl brings
 * about thirty shared libraries (GnuTLS, Kerberos, LDAP, SSH, ...) that
 * the dynamic loader maps and relocates, and whose constructors run, in
 * every run: about 4 ms of a 50 ms budget for `report --input`, which
 * never uses them.
 *
 * The executable is therefore not linked with libcurl. curlload.c
 * defines every curl_* function imgaudit calls, with libcurl's own
 * prototypes (from <curl/curl.h>), each forwarding to the function of
 * the same name in IMGAUDIT_LIBCURL_SONAME (the soname of the libcurl
 * found at configure time, e.g. "libcurl.so.4"; CMakeLists.txt), opened
 * with dlopen() by curlload_open(). Code that uses curl stays as it is, with one rule:
 *
 * Contract: call curlload_open() before any other curl_* function (the
 * pull does, first thing; hss_endpoint_parse() does, for its own
 * callers). Calling one before a successful curlload_open() is a bug:
 * it prints which function and aborts. curlload_open() is thread-safe
 * and loads at most once; every later call returns the first result. */
#ifndef IMGAUDIT_CURLLOAD_H
#define IMGAUDIT_CURLLOAD_H
#include <stddef.h>

#include "util/diag.h"

/* Loads libcurl (once). Returns 0, or -1 after adding an error that
 * names the library, the loader's reason and what to install. */
int curlload_open(struct diags *d);

/* The loading itself, without the process-wide state, for tests: opens
 * 'soname' and resolves every function imgaudit uses into a private
 * table (then closes it again). Returns 0, or -1 with the reason
 * ("libx.so: cannot open shared object file: ...", or "libx.so: no
 * curl_multi_poll: ...") in err. */
int curlload_try(const char *soname, char *err, size_t errlen);

#endif
