# mor-hash - the MOR billing API request hash.  Needs GNU make 4.0 or
# later, a C11 compiler, pkg-config and OpenSSL's libcrypto (1.1.1 or 3.x).
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

# $(file ...) below is GNU make 4.0's; make 3.81 (macOS's /usr/bin/make)
# would ignore it without a word.
ifneq ($(filter 0.% 1.% 2.% 3.%,$(MAKE_VERSION)),)
$(error GNU make 4.0 or later is needed, this is $(MAKE_VERSION): on macOS, brew install make and type gmake)
endif

VERSION = 1.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/$(call zsh_dir,$(PREFIX))
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
# Debian's zsh (and Ubuntu's) reads /usr/share/zsh/vendor-completions, not
# /usr/share/zsh/site-functions: there, with PREFIX=/usr, the completion
# goes where zsh looks.  Packagers set ZSHCOMPDIR (and the others) as
# their distribution wants.
zsh_dir = $(if $(and $(filter /usr,$(1)),$(wildcard /etc/debian_version)),vendor-completions,site-functions)

# CC, CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are the user's (the environment
# or the command line, as dpkg-buildflags sets them): what mor-hash needs
# is added to them, never put in their place.  -O2 -g only when no CFLAGS
# is given.
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
LDLIBS ?=
PKG_CONFIG = pkg-config
CLANG = clang
FUZZ_SECONDS = 30

# static: link libcrypto.a where it exists.  Starting a program that is
# linked with libcrypto.so costs 2.6 million instructions (eight sha1sum
# runs); linked with libcrypto.a, 0.15 million.  Of libcrypto.a only the
# SHA-1 objects and the CPU probe are linked (under 150 KB of text in all,
# and few relocations, so that PIE costs little at start): everything else
# hangs off OpenSSL_version(), so the static build prints the version of
# the header it was built with, which is the library it links.  shared:
# for packagers who want security updates of libcrypto to reach mor-hash.
LIBCRYPTO = static

WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wcast-qual -Wvla
# What every build of mor-hash needs, the sanitizer and fuzzer builds too.
MH_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DVERSION='"$(VERSION)"' \
	$(WARNINGS) $(CRYPTO_CFLAGS)
# What the default build adds: PIE, the stack protector, glibc's checked
# calls (they need optimisation: not with -O0 or no -O), full RELRO, and
# the unused sections left out.  The build directory is named nowhere in
# the output, so two checkouts build the same bytes.
FORTIFY = $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,\
	$(if $(filter-out -O0,$(filter -O%,$(CFLAGS))),-D_FORTIFY_SOURCE=2))
HARDEN_CFLAGS = -fPIE -fstack-protector-strong $(FORTIFY) \
	-ffunction-sections -fdata-sections -ffile-prefix-map=$(CURDIR)=.
# The linker's part, where it has it: GNU ld, gold, lld and mold take
# them all; Apple's ld has no -z relro or -z now (a Mach-O has no lazy
# binding to turn off) and strips dead code with -dead_strip.  Each is
# tried once on a one-line program and the answer kept in build/ldflags,
# until CC, CFLAGS or LDFLAGS change.
LD_CANDIDATES = -pie -Wl,-z,relro,-z,now -Wl,--gc-sections|-Wl,-dead_strip
MH_LIBS = -lpthread

# The library half (never prints or exits) and the command half.
LIB_SRC = sha1.c error.c url.c records.c methods.c methods-table.c \
	server.c server-table.c framework.c request.c request-method.c \
	request-rack.c \
	request-notes.c request-write.c learn.c
CMD_SRC = mor-hash.c cli.c cli-values.c cli-request.c cli-learn.c \
	cli-methods.c io.c secret.c batch.c batch-scan.c batch-plain.c \
	batch-named.c
SRC = $(CMD_SRC) $(LIB_SRC)
OBJ = $(SRC:.c=.o)
HDR = sha1.h error.h url.h records.h methods.h server.h framework.h \
	request.h \
	request-impl.h \
	learn.h io.h secret.h batch.h batch-impl.h cli.h
SERVER_TSV = versions.tsv lists-x8.tsv lists-m2.tsv actions.tsv \
	actions-m2.tsv global-order-x3.tsv global-order-x5.tsv \
	global-order-x8.tsv global-order-m2.tsv

NO_CRYPTO_GOALS = clean install uninstall dist
ifeq ($(filter-out $(NO_CRYPTO_GOALS),$(or $(MAKECMDGOALS),all)),)
else
# libcrypto 1.1.1 or later: the SHA1_* functions sha1.c calls are the
# same in 1.1.1 and 3.x.
CRYPTO_NEEDED = 1.1.1
CRYPTO_HOWTO = on Debian, apt-get install pkg-config libssl-dev; on Fedora, \
	Rocky or Alma, dnf install pkgconf openssl-devel; on macOS, brew install \
	pkg-config openssl@3; elsewhere set PKG_CONFIG_PATH
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error '$(PKG_CONFIG)' not found, which finds libcrypto $(CRYPTO_NEEDED) or later: $(CRYPTO_HOWTO))
endif
CRYPTO_FOUND := $(shell $(PKG_CONFIG) --modversion libcrypto 2>/dev/null)
ifeq ($(CRYPTO_FOUND),)
$(error libcrypto $(CRYPTO_NEEDED) or later is needed, and '$(PKG_CONFIG)' finds no libcrypto: $(CRYPTO_HOWTO))
endif
ifeq ($(shell $(PKG_CONFIG) --atleast-version=$(CRYPTO_NEEDED) libcrypto && echo ok),)
$(error libcrypto $(CRYPTO_FOUND) found, $(CRYPTO_NEEDED) or later is needed: $(CRYPTO_HOWTO))
endif
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto)
CRYPTO_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libcrypto)
CRYPTO_SHARED_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto)
# libcrypto.a alone: of it only the SHA-1 code and the CPU probe are
# linked, which need nothing of 'pkg-config --static --libs' (zlib, zstd,
# libdl: Debian 13 lists libraries that need not be installed).
CRYPTO_STATIC := $(wildcard $(CRYPTO_LIBDIR)/libcrypto.a)
ifeq ($(LIBCRYPTO)$(CRYPTO_STATIC),static$(CRYPTO_LIBDIR)/libcrypto.a)
CRYPTO_LIBS := $(CRYPTO_STATIC)
# The header's OPENSSL_VERSION_TEXT, a string, for -V (see LIBCRYPTO).
VTEXT := $(shell printf '\043include <openssl/opensslv.h>\n%s\n' \
	OPENSSL_VERSION_TEXT | $(CC) $(CRYPTO_CFLAGS) $(CPPFLAGS) -E -P \
	-x c - 2>/dev/null | tail -n 1)
CRYPTO_VERSION_TEXT := $(if $(and $(filter "%,$(firstword $(VTEXT))),\
	$(filter %",$(lastword $(VTEXT)))),$(VTEXT))
else
CRYPTO_LIBS := $(CRYPTO_SHARED_LIBS)
endif
LD_PROBE_KEY := $(CC) $(CFLAGS) $(LDFLAGS)
ifeq ($(file <build/ldflags.key),$(LD_PROBE_KEY))
HARDEN_LDFLAGS := $(file <build/ldflags)
else
# -Werror: a driver that warns of a flag and drops it (clang's "argument
# unused") does not have it.
ld_accepts = $(shell $(CC) $(CFLAGS) $(LDFLAGS) -Werror -fPIE $(1) \
	-o build/ldprobe build/ldprobe.c >/dev/null 2>&1 && echo ok)
HARDEN_LDFLAGS := $(strip $(shell mkdir -p build && printf 'int main(void) { \
	return 0; }\n' >build/ldprobe.c)$(foreach c,$(LD_CANDIDATES),$(firstword \
	$(foreach f,$(subst |, ,$(c)),$(if $(call ld_accepts,$(f)),$(f))))))
$(shell rm -f build/ldprobe build/ldprobe.c)$(file >build/ldflags,$(HARDEN_LDFLAGS))$(file >build/ldflags.key,$(LD_PROBE_KEY))
endif
# The flags of the build, in build/flags: when they change (other CFLAGS,
# LIBCRYPTO=shared), everything is built again.
BUILD_FLAGS := $(CC) $(MH_CFLAGS) $(HARDEN_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
	$(CRYPTO_VERSION_TEXT) $(HARDEN_LDFLAGS) $(LDFLAGS) $(CRYPTO_LIBS) \
	$(LDLIBS) $(MH_LIBS)
ifneq ($(file <build/flags),$(BUILD_FLAGS))
$(shell mkdir -p build)$(file >build/flags,$(BUILD_FLAGS))
endif
endif

all: mor-hash

build/flags:
	$(shell mkdir -p build)$(file >$@,$(BUILD_FLAGS))

mor-hash: $(OBJ) build/flags
	$(CC) $(CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $(OBJ) \
	    $(CRYPTO_LIBS) $(LDLIBS) $(MH_LIBS)

# A static PIE to copy onto any x86-64 Linux whatever its glibc (mor-hash
# built on Debian 12 needs glibc 2.34, which CentOS 7 or Rocky 8 lack):
# the same objects and hardening (PIE, stack protector, fortified calls,
# full RELRO), with libc.a and libcrypto.a linked in.
static: mor-hash-static

mor-hash-static: $(OBJ) build/flags
	@test -n '$(CRYPTO_VERSION_TEXT)' || { echo "make static: \
	libcrypto.a is needed (LIBCRYPTO=static, the default)" >&2; exit 2; }
	$(CC) $(CFLAGS) -static-pie $(filter-out -pie,$(HARDEN_LDFLAGS)) \
	    $(LDFLAGS) -o $@ $(OBJ) $(CRYPTO_LIBS) $(LDLIBS) $(MH_LIBS)

.c.o:
	$(CC) $(MH_CFLAGS) $(HARDEN_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c $<

mor-hash.o sha1.o: MH_CFLAGS += $(if $(CRYPTO_VERSION_TEXT),\
	-DCRYPTO_VERSION_TEXT='$(CRYPTO_VERSION_TEXT)')

$(OBJ): $(HDR) Makefile build/flags

methods-table.c: methods.tsv methods-table.awk string-pool.awk
	LC_ALL=C awk -f string-pool.awk -f methods-table.awk methods.tsv > $@.tmp && mv $@.tmp $@

server-table.c: $(SERVER_TSV) server-table.awk string-pool.awk
	LC_ALL=C awk -f string-pool.awk -f server-table.awk $(SERVER_TSV) > $@.tmp && mv $@.tmp $@

# The C unit tests of the pure modules.
UNIT_SRC = tests/unit.c tests/unit-request.c tests/unit-learn.c $(LIB_SRC)
tests/unit: $(UNIT_SRC) $(HDR) tests/unit.h build/flags
	$(CC) $(MH_CFLAGS) -I. $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
	    $(UNIT_SRC) $(CRYPTO_SHARED_LIBS) $(LDLIBS) $(MH_LIBS)

# The default build (no CC, CFLAGS, CPPFLAGS, LDFLAGS or LDLIBS of the
# user's, libcrypto.a): the tests of its size and hardening check only it.
DEFAULT_BUILD = $(if $(and $(filter file,$(origin CFLAGS)),$(filter \
	default,$(origin CC)),$(CRYPTO_VERSION_TEXT)),$(if \
	$(strip $(CPPFLAGS)$(LDFLAGS)$(LDLIBS)),,1))

check: mor-hash tests/unit
	MOR_HASH_DEFAULT_BUILD=$(DEFAULT_BUILD) tests/run

# The suite against mor-hash-static, copied as mor-hash (the name in its
# messages), and its build checked.
check-static: mor-hash-static tests/unit
	mkdir -p build/static
	cp -f mor-hash-static build/static/mor-hash
	MOR_HASH=build/static/mor-hash MOR_HASH_STATIC=1 tests/run

# The whole suite against a build with AddressSanitizer and UBSan.
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
sanitize: methods-table.c server-table.c
	mkdir -p build/sanitize
	$(CC) $(MH_CFLAGS) $(SANITIZE) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/sanitize/mor-hash $(SRC) $(CRYPTO_SHARED_LIBS) \
	    $(LDLIBS) $(MH_LIBS)
	$(CC) $(MH_CFLAGS) -I. $(SANITIZE) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/sanitize/unit $(UNIT_SRC) $(CRYPTO_SHARED_LIBS) \
	    $(LDLIBS) $(MH_LIBS)
	MOR_HASH=build/sanitize/mor-hash UNIT=build/sanitize/unit \
	    MOR_HASH_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 tests/run

# The threaded paths (--batch, --learn with -j) under ThreadSanitizer.
TSAN = -fsanitize=thread -fno-omit-frame-pointer
tsan: methods-table.c server-table.c
	mkdir -p build/tsan
	$(CC) $(MH_CFLAGS) $(TSAN) $(CPPFLAGS) -O1 -g $(LDFLAGS) \
	    -o build/tsan/mor-hash $(SRC) $(CRYPTO_SHARED_LIBS) \
	    $(LDLIBS) $(MH_LIBS)
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
	        $(MH_LIBS) || exit 1; \
	done
	for f in $(FUZZERS); do \
	    rm -rf build/fuzz/corpus-$$f; mkdir build/fuzz/corpus-$$f; \
	    build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        build/fuzz/corpus-$$f tests/fuzz/corpus/$$f \
	        2>build/fuzz/$$f.log || { tail -40 build/fuzz/$$f.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done' build/fuzz/$$f.log | \
	        sed "s/^/fuzz $$f: /"; \
	done

bench: mor-hash mor-hash-static
	python3 bench/run.py

# Installs what make built, never building anything (sudo make install
# would build with root's environment, without the user's CFLAGS): the
# installed mor-hash is the tested one, byte for byte.  Modes are set, not
# left to the umask: 0755 for directories made and the program, 0644 for
# the page and the completions.
install:
	@test -f mor-hash || { echo "make install: no mor-hash to install: \
	run make first (make install builds nothing)" >&2; exit 2; }
	umask 022 && mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
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

# The release tarball: the files git tracks, under mor-hash-VERSION/,
# in name order, owned by root, dated by the last commit (or by
# SOURCE_DATE_EPOCH): the same tree gives the same bytes.
DIST = mor-hash-$(VERSION)
DIST_DATE = $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct))
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || \
	    { echo "make dist: not a git checkout" >&2; exit 2; }
	rm -f $(DIST).tar $(DIST).tar.gz
	git ls-files -z | LC_ALL=C sort -z | LC_ALL=C tar -c -f $(DIST).tar \
	    --format=ustar --owner=0 --group=0 --numeric-owner \
	    --mode=a+rX,u+w,go-w --mtime=@$(DIST_DATE) \
	    --transform='s,^,$(DIST)/,S' --no-recursion --null --files-from=-
	gzip -9n $(DIST).tar

# The tarball unpacked elsewhere builds, passes its tests, installs and
# uninstalls, and cleans back to what it held.
DISTCHECK = $(DIST).distcheck
INSTALLED = bin/mor-hash share/man/man1/mor-hash.1 \
	share/bash-completion/completions/mor-hash \
	share/zsh/$(call zsh_dir,/usr)/_mor-hash \
	share/fish/vendor_completions.d/mor-hash.fish
distcheck: dist
	rm -rf $(DISTCHECK)
	mkdir $(DISTCHECK)
	gzip -dc $(DIST).tar.gz | (cd $(DISTCHECK) && tar -xf -)
	cd $(DISTCHECK)/$(DIST) && $(MAKE) && $(MAKE) check
	cd $(DISTCHECK)/$(DIST) && $(MAKE) install PREFIX=/usr \
	    DESTDIR=$(CURDIR)/$(DISTCHECK)/root
	for f in $(INSTALLED); do \
	    test -f $(DISTCHECK)/root/usr/$$f || \
	        { echo "distcheck: $$f is not installed" >&2; exit 1; }; \
	done
	test "$$($(DISTCHECK)/root/usr/bin/mor-hash --version | head -n 1)" = \
	    "mor-hash $(VERSION)"
	cd $(DISTCHECK)/$(DIST) && $(MAKE) uninstall PREFIX=/usr \
	    DESTDIR=$(CURDIR)/$(DISTCHECK)/root
	test -z "$$(find $(DISTCHECK)/root -type f)" || \
	    { echo "distcheck: uninstall left files" >&2; exit 1; }
	cd $(DISTCHECK)/$(DIST) && $(MAKE) clean
	gzip -dc $(DIST).tar.gz | tar -tf - | LC_ALL=C sort > $(DISTCHECK)/held
	(cd $(DISTCHECK) && find $(DIST) -type f | LC_ALL=C sort) | \
	    diff $(DISTCHECK)/held - || \
	    { echo "distcheck: make clean does not give the tarball back" >&2; \
	    exit 1; }
	rm -rf $(DISTCHECK)
	@echo "$(DIST).tar.gz: ready for distribution"

clean:
	rm -rf mor-hash mor-hash-static $(OBJ) methods-table.c \
	    methods-table.c.tmp server-table.c server-table.c.tmp tests/unit \
	    tests/__pycache__ build

.PHONY: all static check check-static sanitize tsan memcheck fuzz bench \
	install uninstall dist distcheck clean
