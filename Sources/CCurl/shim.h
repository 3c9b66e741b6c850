#pragma once
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   Each typed wrapper below passes exactly one argument type through. */
static inline CURLcode partner_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode partner_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode partner_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode partner_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode partner_curl_setopt_write_function(CURL *handle,
        size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode partner_curl_setopt_header_function(CURL *handle,
        size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode partner_curl_setopt_xferinfo_function(CURL *handle,
        int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline CURLcode partner_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode partner_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode partner_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURLVERSION_NOW is a macro alias of the newest enum value; Swift does not import it. */
static inline CURLversion partner_curl_version_now(void) { return CURLVERSION_NOW; }

/* The multi interface: one thread drives every transfer (see Models/CurlEngine.swift). */
static inline CURLcode partner_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLMcode partner_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
/* CURLMsg.data is a union; reading it from Swift is awkward, so these take it apart. */
static inline int partner_curl_msg_is_done(const CURLMsg *message) { return message->msg == CURLMSG_DONE; }
static inline CURLcode partner_curl_msg_result(const CURLMsg *message) { return message->data.result; }
static inline CURL *partner_curl_msg_handle(const CURLMsg *message) { return message->easy_handle; }

/* libcurl 7.88 creates its sockets without close-on-exec, so every process spawned while a
   transfer is open (sandbox workers, git, ripgrep) would inherit the connection and keep it
   open after libcurl closes it. This opener creates each one with SOCK_CLOEXEC atomically. */
#include <sys/socket.h>
static inline curl_socket_t partner_curl_open_cloexec_socket(void *clientp, curlsocktype purpose,
                                                             struct curl_sockaddr *address) {
    (void)clientp;
    (void)purpose;
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}
static inline CURLcode partner_curl_setopt_cloexec_sockets(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, partner_curl_open_cloexec_socket);
}
