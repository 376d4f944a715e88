/*
 * server.h - what MOR's server code does with a request's values, per
 * version (X3, X5, X8), compiled from the TSV files beside this one by
 * server-table.awk: the actions that check a hash and their route
 * aliases, the per-method lists (mechanism A), and the global order with
 * each name's value rule (mechanism B).  See those files for the facts.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_SERVER_H
#define MOR_HASH_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_rule {
	RULE_RAW,		/* as received; empty adds nothing */
	RULE_INT,		/* digits only: the integer (0123 -> 123) */
	RULE_DIGITS,		/* digits only: as received */
	RULE_DIGITS_OR_ALL,	/* digits only, or exactly "all" */
	RULE_DIGITS_OR_NESTED,	/* digits only, or any Array or Hash */
	RULE_BALANCE,		/* only 0-9 . + - */
	RULE_ENUM,		/* exactly one of the alternatives */
	RULE_SEARCH,		/* contains one of the alternatives */
	RULE_LINE,		/* a line equals one alternative */
	RULE_RAW_EXCEPT,	/* raw, but never for the named action */
	RULE_NEVER,		/* in the order, never hashed */
	RULE_COUNT
};

enum hash_check {
	CHECK_FILTER,		/* the before-filter compares the hash */
	CHECK_INLINE,		/* the action compares it itself */
	CHECK_NONE,		/* no hash is compared */
	CHECK_MISSING,		/* a route names it; no such action */
	CHECK_HIDDEN		/* checked, but an earlier filter refuses (M2) */
};

enum server_mechanism {
	SERVER_GLOBAL,		/* the version's global order */
	SERVER_LIST,		/* a per-method list (X8, M2) */
	/* M2's user_calls_get: the list of the action api_name names. */
	SERVER_BY_API_NAME,
	SERVER_UNCHECKED
};

/* Offsets into server_strings: no pointers, so no relocations. */
struct order_entry {
	uint32_t	name;
	uint8_t		rule;		/* enum value_rule */
	uint32_t	arg;		/* alternatives, or the action */
};

struct server_action {
	uint32_t	name;
	uint32_t	alias;		/* "" for none */
	bool		alias_takes_id;	/* /api/ALIAS/ID routes too */
	uint8_t		check;		/* enum hash_check */
	uint8_t		mechanism;	/* enum server_mechanism */
	uint32_t	list;		/* comma-separated; "" is empty */
};

/* A row of versions.tsv: the server's code and the framework before it. */
struct server_version {
	char		name[4];	/* "X8" */
	char		label[8];	/* "MOR X8" */
	/* Rack::UTF8Sanitizer: U+FFFD for invalid UTF-8, some %XX decoded. */
	bool		sanitizer;
	bool		old_routes;	/* /api/OLD names an action */
	bool		drop_nils;	/* Rails 4: nils out of arrays */
	uint16_t	clash_status;	/* a name flat and bracketed */
	uint16_t	path_utf8_status; /* a path parameter not UTF-8 */
	/*
	 * The action whose list the list check empties (the key alone) when
	 * u is exactly "admin"; any list action's too when a parameter
	 * api_path holds that name.  "" for none.
	 */
	uint32_t	quickstats;
	uint16_t	order_first, order_count;
	uint16_t	action_first, action_count;
};

extern const char server_strings[];
extern const struct order_entry server_order[];
extern const struct server_action server_actions[];
extern const struct server_version server_versions[];
extern const size_t server_version_count;
extern const size_t server_version_newest_index;

#define SERVER_STR(off) (server_strings + (off))

/* By name, either case ("x8"); NULL if unknown. */
const struct server_version *server_version_find(const char *name);
const struct server_version *server_version_newest(void);

/* Version v's global-order entry of that name, or NULL. */
const struct order_entry *server_order_find(const struct server_version *v,
	    const char *name, size_t len);
/* The action of that exact name in version v, or NULL. */
const struct server_action *server_action(const struct server_version *v,
	    const char *name, size_t len);
/*
 * The action an old-name route /api/OLD (with_id: /api/OLD/ID) reaches in
 * version v, or NULL; only X5, X8 and M2 have such routes.
 */
const struct server_action *server_alias(const struct server_version *v,
	    const char *name, size_t len, bool with_id);
/* The action a name reaches in version v: its own, or an old name's. */
const struct server_action *server_route(const struct server_version *v,
	    const char *name, size_t len);

/*
 * The value rule of order entry e applied to value: true with the bytes
 * to hash in *out (a part of value, or a constant), false when nothing
 * is hashed.  action is the routed action (for raw-except).
 */
struct slice {
	const char	*data;
	size_t		 len;
};

bool	server_rule_apply(const struct order_entry *e, const char *value,
	    size_t len, const char *action, struct slice *out);

/* The rule's name in the TSV files, and why it drops a value. */
const char *server_rule_name(enum value_rule);
const char *server_rule_reason(enum value_rule);

#endif
