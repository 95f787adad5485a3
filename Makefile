# mptools: build, test and install.  Plain make; no recursion, no autotools.
VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/mptools
MANDIR   = $(PREFIX)/share/man
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DMP_VERSION=\"$(VERSION)\" -Ilib
LDFLAGS += -Wl,--as-needed
LDLIBS  += -lcsv -lpcre2-8 -lexpat -lsodium -lxlsxwriter -lz -lm -lpthread

# Objects and programs go to $(BUILD) and $(BIN); check-sanitize uses other folders.
BUILD   ?= build
BIN     ?= bin

CMDS    = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
LIBSRC  = $(wildcard lib/*.c)
LIBOBJ  = $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIBSRC))
LIBA    = $(BUILD)/libmptools.a
PROGS   = $(addprefix $(BIN)/,$(CMDS))
UNITSRC = $(wildcard tests/unit/*.c)
UNITS   = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNITSRC))
TOOLS   = $(BUILD)/tools/bare-parse

COMPDIR = $(BUILD)/completion

all: $(PROGS) $(TOOLS) $(COMPDIR)/.stamp

# Bash completion for every command, generated from each one's --help.
$(COMPDIR)/.stamp: $(PROGS) scripts/daily-alerts scripts/gen-completion
	@rm -rf $(COMPDIR)
	@scripts/gen-completion $(BIN) $(COMPDIR)
	@touch $@

# make never installs anything: when a library's header is missing it stops
# with one line naming the script that installs the dependencies.
DEPHDRS = csv.h pcre2.h expat.h sodium.h xlsxwriter.h zlib.h
$(BUILD)/.deps:
	@missing=; for h in $(DEPHDRS); do \
		echo "#include <$$h>" | $(CC) $(CPPFLAGS) -DPCRE2_CODE_UNIT_WIDTH=8 -E -x c - >/dev/null 2>&1 || missing="$$missing $$h"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "mptools: missing headers:$$missing; install the build dependencies with scripts/install-deps" >&2; \
		exit 1; \
	fi
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/lib/%.o: lib/%.c lib/*.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(BIN)/%: cmd/%.c $(LIBA) lib/*.h
	@mkdir -p $(BIN)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBA) $(LDFLAGS) $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(LIBA) lib/*.h tests/unit/*.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBA) $(LDFLAGS) $(LDLIBS)

$(BUILD)/tools/%: scripts/%.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) -O2 -o $@ $< $(LDFLAGS) -lcsv

# The whole suite: C unit tests and Bats; ends with "N passed, N failed".
check: all $(UNITS)
	@BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) tests/run-tests

# The same suite against an AddressSanitizer + UBSan build.
check-sanitize:
	$(MAKE) --no-print-directory BUILD=build-san BIN=bin-san CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" check

# The main job on the bundled sample data: import, validate, alerts, repeats, stats, reports.
demo: all
	scripts/main-job

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 755 scripts/daily-alerts $(DESTDIR)$(BINDIR)/mp-daily-alerts
	cp -R share/. $(DESTDIR)$(SHAREDIR)
	for m in man/*.1; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1; done
	for m in man/*.5; do [ -e "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man5; done; true
	install -d $(DESTDIR)$(COMPLETIONDIR)
	install -m 644 $(COMPDIR)/mp-* $(DESTDIR)$(COMPLETIONDIR)

uninstall:
	for c in $(CMDS) mp-daily-alerts; do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(COMPLETIONDIR)/$$c; done
	rm -rf $(DESTDIR)$(SHAREDIR)

# Fuzz every target in tests/fuzz for FUZZ_SECONDS each (clang libFuzzer + ASan/UBSan).
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz $(FUZZ_SECONDS)

lint-man:
	@for m in man/*.[1-8]; do mandoc -Tlint -Wwarning $$m || exit 1; done

clean:
	rm -rf build bin build-san bin-san build-fuzz bin-fuzz

.PHONY: all check check-sanitize demo fuzz install uninstall lint-man clean
.SECONDARY:
