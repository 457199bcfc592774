# cairn — plain Makefile.  Sources are discovered by directory so that a new
# module needs no edit here:
#   lang/*.c engine/*.c state/*.c   -> build/libcairn.a (engine/main.c -> build/cairn)
#   providers/aws/*.c                -> build/plugins/cairn-provider-aws.so (+ libcairn_aws.a for tests)
#   providers/test/*.c               -> build/plugins/cairn-provider-test.so (+ libcairn_testprov.a)
#   tests/unit/test_*.c              -> build/tests/test_*  (linked with all three archives)
#   tests/helpers/*.c                -> build/tests/helpers/* (programs used by test scripts)
#   tests/fuzz/fuzz_*.c              -> libFuzzer targets (make fuzz)
#
# make SANITIZE=1 builds everything under build/asan/ with ASan + UBSan.

PREFIX  ?= /usr/local
CC      ?= cc
PKGS     = libcurl openssl libxml-2.0 jansson lmdb

ifeq ($(SANITIZE),1)
BUILD   ?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
else
BUILD   ?= build
SANFLAGS =
OPT      = -O2 -g
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fPIC $(OPT) $(SANFLAGS) \
           -I. -DCAIRN_PLUGIN_DIR='"$(PREFIX)/lib/cairn/plugins"' $(PKG_CFLAGS)
LDFLAGS += $(SANFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm -ldl

CORE_SRCS  := $(filter-out engine/main.c,$(wildcard lang/*.c engine/*.c state/*.c))
AWS_SRCS   := $(wildcard providers/aws/*.c)
TPROV_SRCS := $(wildcard providers/test/*.c)
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
HELP_SRCS  := $(wildcard tests/helpers/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

CORE_OBJS  := $(call obj,$(CORE_SRCS))
AWS_OBJS   := $(call obj,$(AWS_SRCS))
TPROV_OBJS := $(call obj,$(TPROV_SRCS))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
HELP_BINS  := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELP_SRCS))

LIBCAIRN   := $(BUILD)/libcairn.a
LIBAWS     := $(BUILD)/libcairn_aws.a
LIBTPROV   := $(BUILD)/libcairn_testprov.a
PLUGINS    := $(if $(AWS_SRCS),$(BUILD)/plugins/cairn-provider-aws.so) \
              $(if $(TPROV_SRCS),$(BUILD)/plugins/cairn-provider-test.so)
ALL_LIBS   := $(if $(AWS_SRCS),$(LIBAWS)) $(if $(TPROV_SRCS),$(LIBTPROV)) $(LIBCAIRN)

.PHONY: all deps check demo install fuzz bench clean tests
all: $(BUILD)/cairn $(PLUGINS)

deps:
	@scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBCAIRN): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBAWS): $(AWS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBTPROV): $(TPROV_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/cairn: $(call obj,engine/main.c) $(LIBCAIRN)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $< -Wl,--whole-archive $(LIBCAIRN) -Wl,--no-whole-archive $(LDLIBS)

# Plugins do not link libcairn.a: the val_/diag_ symbols they use resolve
# against the cairn executable (-rdynamic), so there is one copy of every
# process-wide singleton (type descriptors, the log sink).
$(BUILD)/plugins/cairn-provider-aws.so: $(AWS_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -o $@ $(AWS_OBJS) $(LDLIBS)
$(BUILD)/plugins/cairn-provider-test.so: $(TPROV_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -o $@ $(TPROV_OBJS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)
$(BUILD)/tests/helpers/%: tests/helpers/%.c $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)

tests: all $(UNIT_BINS) $(HELP_BINS)

# The README's test command: install, build, run everything, one summary line.
check: deps
	@$(MAKE) --no-print-directory tests
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) scripts/demo.sh

# Fuzzing campaign (not part of check): FUZZ_SECONDS per target, ASan+UBSan.
FUZZ_SECONDS ?= 300
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/cairn/plugins
	install -m 0755 $(BUILD)/cairn $(DESTDIR)$(PREFIX)/bin/cairn
	$(if $(PLUGINS),install -m 0755 $(PLUGINS) $(DESTDIR)$(PREFIX)/lib/cairn/plugins/)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
