# mor-hash - the MOR billing API request hash.  Needs GNU make, a C11
# compiler, pkg-config and OpenSSL's libcrypto (3.0 or later).
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

VERSION = 1.0.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d

CC = cc
CFLAGS = -O2 -g
CPPFLAGS =
LDFLAGS =
LDLIBS = -lpthread
PKG_CONFIG = pkg-config
CLANG = clang
FUZZ_SECONDS = 30

# static: link libcrypto.a where it exists.  Starting a program that is
# linked with libcrypto.so costs 2.6 million instructions (eight sha1sum
# runs); linked with libcrypto.a, and without PIE so that its 16,000
# pointers need no relocation at start, 0.14 million.  shared: for
# packagers who want security updates of libcrypto to reach mor-hash.
LIBCRYPTO = static

WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wcast-qual -Wvla
MH_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DVERSION='"$(VERSION)"' \
	$(WARNINGS) $(CRYPTO_CFLAGS)

# The library half (never prints or exits) and the command half.
LIB_SRC = digest.c error.c url.c records.c methods.c methods-table.c \
	server.c server-table.c request.c request-notes.c \
	request-write.c learn.c
CMD_SRC = mor-hash.c cli-request.c cli-learn.c cli-methods.c io.c \
	secret.c batch.c
SRC = $(CMD_SRC) $(LIB_SRC)
OBJ = $(SRC:.c=.o)
HDR = digest.h error.h url.h records.h methods.h server.h request.h \
	request-impl.h \
	learn.h io.h secret.h batch.h cli.h
SERVER_TSV = lists-x8.tsv actions.tsv global-order-x3.tsv \
	global-order-x5.tsv global-order-x8.tsv

NO_CRYPTO_GOALS = clean uninstall
ifeq ($(filter-out $(NO_CRYPTO_GOALS),$(or $(MAKECMDGOALS),all)),)
else
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libcrypto 2>/dev/null)
ifeq ($(shell $(PKG_CONFIG) --atleast-version=3.0 libcrypto 2>/dev/null && echo ok),)
$(error libcrypto 3.0 or later not found with '$(PKG_CONFIG)': on Debian, apt-get install libssl-dev pkg-config; elsewhere set PKG_CONFIG_PATH)
endif
CRYPTO_SHARED_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto)
ifeq ($(LIBCRYPTO)$(wildcard $(CRYPTO_LIBDIR)/libcrypto.a),static$(CRYPTO_LIBDIR)/libcrypto.a)
CRYPTO_LIBS := $(CRYPTO_LIBDIR)/libcrypto.a \
	$(filter-out -lcrypto,$(shell $(PKG_CONFIG) --static --libs libcrypto))
CRYPTO_LDFLAGS = -no-pie
else
CRYPTO_LIBS := $(CRYPTO_SHARED_LIBS)
endif
endif

all: mor-hash

mor-hash: $(OBJ)
	$(CC) $(CRYPTO_LDFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(CRYPTO_LIBS) $(LDLIBS)

.c.o:
	$(CC) $(MH_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c $<

$(OBJ): $(HDR) Makefile

methods-table.c: methods.tsv methods-table.awk
	LC_ALL=C awk -f methods-table.awk methods.tsv > $@.tmp && mv $@.tmp $@

server-table.c: $(SERVER_TSV) server-table.awk
	LC_ALL=C awk -f server-table.awk $(SERVER_TSV) > $@.tmp && mv $@.tmp $@

# The C unit tests of the pure modules.
UNIT_SRC = tests/unit.c $(LIB_SRC)
tests/unit: $(UNIT_SRC) $(HDR)
	$(CC) $(MH_CFLAGS) -I. $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
	    $(UNIT_SRC) $(CRYPTO_SHARED_LIBS) $(LDLIBS)

check: mor-hash tests/unit
	tests/run

# The whole suite against a build with AddressSanitizer and UBSan.
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
sanitize: methods-table.c server-table.c
	mkdir -p build/sanitize
	$(CC) $(MH_CFLAGS) $(SANITIZE) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/sanitize/mor-hash $(SRC) $(CRYPTO_SHARED_LIBS) $(LDLIBS)
	$(CC) $(MH_CFLAGS) -I. $(SANITIZE) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/sanitize/unit $(UNIT_SRC) $(CRYPTO_SHARED_LIBS) $(LDLIBS)
	MOR_HASH=build/sanitize/mor-hash UNIT=build/sanitize/unit \
	    MOR_HASH_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 tests/run

# The threaded paths (--batch, --learn with -j) under ThreadSanitizer.
TSAN = -fsanitize=thread -fno-omit-frame-pointer
tsan: methods-table.c server-table.c
	mkdir -p build/tsan
	$(CC) $(MH_CFLAGS) $(TSAN) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/tsan/mor-hash $(SRC) $(CRYPTO_SHARED_LIBS) $(LDLIBS)
	MOR_HASH=build/tsan/mor-hash MOR_HASH_SANITIZED=1 \
	    TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
	    bats --tap tests/batch.bats

# The CLI suite with every mor-hash run under valgrind's memcheck.
memcheck: mor-hash tests/unit
	MOR_HASH_WRAPPER=tests/valgrind-wrapper tests/run

FUZZERS = values query roundtrip methods request
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-g -O1
fuzz: methods-table.c server-table.c
	mkdir -p build/fuzz
	for f in $(FUZZERS); do \
	    $(CLANG) $(MH_CFLAGS) -I. $(FUZZ_FLAGS) -o build/fuzz/$$f \
	        tests/fuzz/fuzz-$$f.c $(LIB_SRC) $(CRYPTO_SHARED_LIBS) \
	        -lpthread || exit 1; \
	done
	for f in $(FUZZERS); do \
	    rm -rf build/fuzz/corpus-$$f; mkdir build/fuzz/corpus-$$f; \
	    build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        build/fuzz/corpus-$$f tests/fuzz/corpus/$$f \
	        2>build/fuzz/$$f.log || { tail -40 build/fuzz/$$f.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done' build/fuzz/$$f.log | \
	        sed "s/^/fuzz $$f: /"; \
	done

bench: mor-hash
	python3 bench/run.py

install: mor-hash
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	cp -f mor-hash $(DESTDIR)$(BINDIR)/mor-hash
	chmod 755 $(DESTDIR)$(BINDIR)/mor-hash
	cp -f mor-hash.1 $(DESTDIR)$(MANPREFIX)/man1/mor-hash.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/mor-hash.1
	cp -f completions/mor-hash.bash $(DESTDIR)$(BASHCOMPDIR)/mor-hash
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/mor-hash
	cp -f completions/_mor-hash $(DESTDIR)$(ZSHCOMPDIR)/_mor-hash
	chmod 644 $(DESTDIR)$(ZSHCOMPDIR)/_mor-hash
	cp -f completions/mor-hash.fish $(DESTDIR)$(FISHCOMPDIR)/mor-hash.fish
	chmod 644 $(DESTDIR)$(FISHCOMPDIR)/mor-hash.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mor-hash \
	    $(DESTDIR)$(MANPREFIX)/man1/mor-hash.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/mor-hash \
	    $(DESTDIR)$(ZSHCOMPDIR)/_mor-hash \
	    $(DESTDIR)$(FISHCOMPDIR)/mor-hash.fish

clean:
	rm -rf mor-hash $(OBJ) methods-table.c methods-table.c.tmp \
	    server-table.c server-table.c.tmp tests/unit \
	    build

.PHONY: all check sanitize tsan memcheck fuzz bench install uninstall clean
