# nhacviec: the reminder daemon nhacviecd and the admin command nhacviec.
#   make         build both (build/nhacviecd, build/nhacviec)
#   make test    install what is missing, then unit and integration tests under ASan+UBSan
#   make test-faults  the long fault and load scenarios (tests/faults/)
#   make run     install what is missing, then the demo: seed plan, private Redis, console channel
#   make bench   throughput figures against a baseline measured in the same run
#   make bench-cluster  districts on a local Redis Cluster against one redis-server
#   make fuzz    libFuzzer on the parsers of outside input (FUZZ_SECONDS=60)
#   make install the programs, the systemd unit, man pages, bash completion,
#                and example config where none is
#   make deb     the Debian package, build/nhacviec_VERSION_ARCH.deb (scripts/deb.sh)
#   make po      extract the messages into po/nhacviec.pot, merge them into po/*.po

CC	?= cc
PKGS	 = libevent hiredis libcurl jansson libical inih libsystemd nettle \
	   libxcrypt libssh2
WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wformat=2 -Werror
CFLAGS	?= -O2 -g
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
# Where make install puts things (DESTDIR for packaging); the message
# catalogs (common/i18n.c: NHACVIEC_LOCALEDIR overrides it at run time).
PREFIX	?= /usr
LOCALEDIR ?= $(PREFIX)/share/locale
CPPFLAGS_ALL = -D_GNU_SOURCE -DLOCALEDIR='"$(LOCALEDIR)"' \
	   $(shell pkg-config --cflags $(PKGS))
# Each folder sees its own headers and common's, no other: common/ cannot
# include a daemon/ or cli/ header (the compiler says so, not a review).
INC_common = -Icommon
INC_daemon = -Idaemon -Icommon
INC_cli	   = -Icli -Icommon
INC_tests  = -Icommon
incdirs	   = $(INC_$(firstword $(subst /, ,$(1))))
LIBS	 = $(shell pkg-config --libs $(PKGS)) -lm
# The tests check nettle's digests against OpenSSL's (a second opinion).
TESTLIBS = $(shell pkg-config --libs cmocka libcrypto)

COMMON_SRC = $(wildcard common/*.c) build/gen/lua.c
LUA_SRC	   = $(sort $(wildcard lua/*.lua))
WEB_SRC	   = $(sort $(wildcard web/*))
DAEMON_SRC = $(wildcard daemon/*.c) build/gen/web.c
CLI_SRC	   = $(wildcard cli/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
FAKE_SRC   = $(wildcard tests/fake_*.c)
PO_SRC	   = $(sort $(wildcard po/*.po))
MO	   = $(patsubst po/%.po,build/locale/%/LC_MESSAGES/nhacviec.mo,$(PO_SRC))

obj	= $(patsubst %.c,build/$(1)/%.o,$(2))

.PHONY: all test check unit integration run bench fuzz deps install deb clean \
	test-faults faults bench-cluster po
all: build/nhacviecd build/nhacviec $(MO)

# The Lua scripts, embedded as C strings (common/scripts.c describes them).
build/gen/lua.c: $(LUA_SRC) $(wildcard lua/lib/*.lua) scripts/embed-lua.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@scripts/embed-lua.sh $@ $(LUA_SRC)
# The status pages' style sheet and icon, embedded likewise (daemon/web.c).
build/gen/web.c: $(WEB_SRC) scripts/embed-web.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@scripts/embed-web.sh $@ $(WEB_SRC)
build/rel/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
build/san/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CPPFLAGS) $(SANFLAGS) -c -o $@ $<

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(call incdirs,$<) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS) $(WARN) \
	    -MMD -MP -c -o $@ $<
build/san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	@$(CC) $(call incdirs,$<) $(CPPFLAGS_ALL) $(CPPFLAGS) $(SANFLAGS) \
	    $(WARN) -MMD -MP -c -o $@ $<

build/nhacviecd: $(call obj,rel,$(DAEMON_SRC) $(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
build/nhacviec: $(call obj,rel,$(CLI_SRC) $(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
build/san/nhacviecd: $(call obj,san,$(DAEMON_SRC) $(COMMON_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(LIBS)
build/san/nhacviec: $(call obj,san,$(CLI_SRC) $(COMMON_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(LIBS)
build/san/tests/unit/%: build/san/tests/unit/%.o build/san/tests/unit/helpers.o \
    $(call obj,san,$(COMMON_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)
# The fakes stand alone: their shared helpers and common's base layer.
build/rel/tests/%: build/rel/tests/%.o build/rel/tests/fakeutil.o \
    build/rel/common/log.o build/rel/common/xmalloc.o \
    build/rel/common/buf.o build/rel/common/fileio.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)

# make bench's floor: the daemon's HTTP layer alone (tests/bench/http_floor.c).
build/rel/tests/bench/http_floor.o: INC_tests = -Idaemon -Icommon
build/rel/tests/bench/http_floor: build/rel/tests/bench/http_floor.o \
    build/rel/daemon/http.o $(call obj,rel,$(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# A scenario's own check with a common module: the event signature.
build/rel/tests/zevent_check: build/rel/tests/zevent_check.o \
    build/rel/common/sign.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

# The messages of nhacviec and nhacviecd in the admin's language: each
# po/LANG.po compiled (and checked: printf conversions, header) into
# build/locale/LANG/LC_MESSAGES/nhacviec.mo. `make po` extracts the messages
# into po/nhacviec.pot, from the functions that translate their format
# (common/log.c, common/diag.c, common/schema.c's errors for the plan and
# the config, cli_usage) and from _() and N_(), then merges them into each
# po/LANG.po; scripts/po-sources.py first writes out the string macros of
# formats.
build/locale/%/LC_MESSAGES/nhacviec.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $<"
	@msgfmt --check -o $@ $<
XGETTEXT_KEYS = _ N_ log_info:1 log_notice:1 log_warnx:1 log_warn:1 log_err:1 \
	   log_crit:1 fatalx:1 fatal:1 log_fields:4 diag_error:4 diag_warn:4 \
	   schema_error:3 schema_error_in:4 schema_error_then:4 schema_bad:2 \
	   cli_usage:2
PO_C_SRC = $(sort $(wildcard cli/*.c common/*.c daemon/*.c))
po:
	@rm -rf build/po && mkdir -p build/po
	scripts/po-sources.py build/po $(PO_C_SRC)
	cd build/po && xgettext --from-code=UTF-8 --language=C \
	    --package-name=nhacviec --add-comments=TRANSLATORS: \
	    --sort-by-file $(foreach k,$(XGETTEXT_KEYS),--keyword=$(k) \
	    $(if $(findstring :,$(k)),--flag=$(k):c-format)) \
	    -o ../../po/nhacviec.pot $(PO_C_SRC)
	for f in $(PO_SRC); do \
	    msgmerge --quiet --update --backup=none $$f po/nhacviec.pot || exit 1; \
	done

UNIT_BIN = $(patsubst tests/unit/%.c,build/san/tests/unit/%,$(UNIT_SRC))
FAKE_BIN = $(patsubst tests/%.c,build/rel/tests/%,$(FAKE_SRC)) \
	   build/rel/tests/zevent_check

# The test and run targets install what is missing first, then re-enter make
# so that pkg-config sees the freshly installed libraries.
test: deps
	@$(MAKE) --no-print-directory check
check: unit integration
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done
integration: build/san/nhacviecd build/san/nhacviec $(FAKE_BIN) $(MO)
	@tests/integration/run.sh
# The long fault and load scenarios (tests/faults/), also run by CI.
test-faults: deps
	@$(MAKE) --no-print-directory faults
faults: build/san/nhacviecd build/san/nhacviec $(FAKE_BIN)
	@tests/integration/run.sh tests/faults/t_*.sh
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo.sh
bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(FAKE_BIN) build/rel/tests/bench/http_floor
	@tests/bench/run.sh
bench-cluster: deps
	@$(MAKE) --no-print-directory all $(FAKE_BIN)
	@tests/bench/cluster.sh
# Fuzz the parsers of outside input (clang's libFuzzer); FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
build/fuzz/fuzz_inputs: tests/fuzz/fuzz_inputs.c $(COMMON_SRC) build/gen/lua.c
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -D_GNU_SOURCE -Icommon \
	    $(shell pkg-config --cflags $(PKGS)) -o $@ $^ $(LIBS)
fuzz: deps
	@command -v clang >/dev/null || { apt-get update -qq && \
	    apt-get install -y -qq --no-install-recommends clang; }
	@$(MAKE) --no-print-directory build/fuzz/fuzz_inputs
	@mkdir -p build/fuzz/corpus
	build/fuzz/fuzz_inputs -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	    build/fuzz/corpus tests/fuzz/corpus

# Install on the district server (DESTDIR for packaging). The config and
# plan are copied only where none exist: an admin's files are never replaced.
SHARE	 = $(DESTDIR)$(PREFIX)/share
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/lib/systemd/system \
	    $(DESTDIR)/usr/lib/sysusers.d $(DESTDIR)/usr/lib/tmpfiles.d \
	    $(DESTDIR)/etc/nhacviec/plan.d $(DESTDIR)/etc/nhacviec/templates \
	    $(SHARE)/man/man1 $(SHARE)/man/man5 $(SHARE)/man/man8 \
	    $(SHARE)/bash-completion/completions \
	    $(SHARE)/doc/nhacviec/examples/nginx
	for m in $(MO); do \
	    l=$${m#build/locale/}; l=$${l%%/*}; \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || \
	    exit 1; done
	install -m 755 build/nhacviecd build/nhacviec $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/nhacviec.1 $(SHARE)/man/man1/
	install -m 644 man/nhacviec.conf.5 man/nhacviec-plan.5 $(SHARE)/man/man5/
	install -m 644 man/nhacviecd.8 $(SHARE)/man/man8/
	install -m 644 completion/nhacviec.bash \
	    $(SHARE)/bash-completion/completions/nhacviec
	install -m 644 config/nginx/nhacviec-admin.conf \
	    $(SHARE)/doc/nhacviec/examples/nginx/
	install -m 644 systemd/nhacviecd.service $(DESTDIR)/lib/systemd/system/
	install -m 644 systemd/nhacviec.sysusers \
	    $(DESTDIR)/usr/lib/sysusers.d/nhacviec.conf
	install -m 644 systemd/nhacviec.tmpfiles \
	    $(DESTDIR)/usr/lib/tmpfiles.d/nhacviec.conf
	for f in config/templates/*; do \
	    [ -e $(DESTDIR)/etc/nhacviec/templates/$${f##*/} ] || \
	    install -m 644 $$f $(DESTDIR)/etc/nhacviec/templates/; done
	[ -e $(DESTDIR)/etc/nhacviec/nhacviec.conf ] || \
	    install -m 644 config/nhacviec.conf $(DESTDIR)/etc/nhacviec/
	[ -n "$$(ls $(DESTDIR)/etc/nhacviec/plan.d 2>/dev/null)" ] || \
	    install -m 644 config/plan.d/*.conf $(DESTDIR)/etc/nhacviec/plan.d/

# The package, with the Debian tools, from a copy of the tree under build/.
deb: deps
	@scripts/deb.sh

deps:
	@scripts/deps.sh
clean:
	rm -rf build

.SECONDARY:
-include $(shell find build -path build/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
