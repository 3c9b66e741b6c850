#pragma once
#include <libpq-fe.h>

/* PG_DIAG_SQLSTATE is a character-literal macro; Swift does not import it. */
static inline int partner_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int partner_pg_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
