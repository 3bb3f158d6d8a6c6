# Khibra — plain Makefile.  `make run` and `make check` are the two commands a
# new user needs; both install what is missing first (scripts/install-deps.sh).

CC       ?= gcc
# V=1 shows every command; by default one short line per file.
V        ?=
Q        := $(if $(V),,@)
PKGS     := libmicrohttpd sqlite3 libpq jansson libsodium libcurl zlib icu-i18n icu-uc vips libical
BUILD    ?= build
SANITIZE ?=

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wformat-truncation=1 \
            -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
            -Wpointer-arith -Wcast-align -Wvla -Wwrite-strings -Wnull-dereference \
            -Wimplicit-fallthrough -Wundef -Wunused -Wswitch-enum -Wno-switch-enum
CPPFLAGS := -Isrc -I$(BUILD)/gen -D_GNU_SOURCE -MMD -MP
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 $(WARNINGS) -fstack-protector-strong -fno-strict-aliasing \
            $(shell pkg-config --cflags $(PKGS))
ifeq ($(SANITIZE),)
CPPFLAGS += -D_FORTIFY_SOURCE=2
else
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
LDLIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread -lm

SRC      := $(shell find src -name '*.c' ! -path 'src/cli/main.c' | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/cli/main.o
GEN_OBJ  := $(BUILD)/gen/embedded.o

# Files compiled into the binary: templates, static assets (and their gzip
# forms), SQL migrations.
ASSETS     := $(sort $(wildcard assets/*))
ASSETS_GZ  := $(ASSETS:%=$(BUILD)/gz/%.gz)
EMBEDDED   := $(sort $(wildcard templates/*.html)) $(ASSETS) \
              $(sort $(wildcard src/store/migrations/*/*.sql)) docs/openapi.json \
              $(sort $(wildcard docs/openapi/*.json))

LOCALES  := ar en
MO_FILES := $(LOCALES:%=$(BUILD)/locale/%/LC_MESSAGES/khibra.mo)

UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
STORE_SRC := $(sort $(wildcard tests/store/*.c))
HTTP_SRC  := $(sort $(wildcard tests/integration/*.c))
TEST_LIBS := $(shell pkg-config --libs criterion)

.PHONY: all run check asan deps clean fuzz bench test-bins print-pkgs
all: $(BUILD)/khibra $(MO_FILES)

deps:
	@scripts/install-deps.sh

$(BUILD)/khibra: $(MAIN_OBJ) $(OBJ) $(GEN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gz/%.gz: %
	@mkdir -p $(dir $@)
	$(Q)gzip -9 -n -c $< > $@

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBEDDED) $(ASSETS_GZ)
	@mkdir -p $(dir $@)
	@echo "  EMBED   $@"
	$(Q)$(BUILD)/tools/embed $@ $(EMBEDDED) $(foreach f,$(ASSETS),$(BUILD)/gz/$(f).gz=$(f).gz)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	@echo "  CC      $@"
	$(Q)$(CC) -std=c17 -O0 -Isrc -c -o $@ $<

$(BUILD)/locale/%/LC_MESSAGES/khibra.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	$(Q)msgfmt --check -o $@ $<

# The objects every OBJ needs the generated header directory to exist.
$(OBJ) $(MAIN_OBJ): | $(BUILD)/gen/embedded.c

$(BUILD)/unit-tests: $(UNIT_SRC:%.c=$(BUILD)/%.o) $(OBJ) $(GEN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

$(BUILD)/store-tests: $(STORE_SRC:%.c=$(BUILD)/%.o) $(OBJ) $(GEN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

$(BUILD)/http-tests: $(HTTP_SRC:%.c=$(BUILD)/%.o) $(OBJ) $(GEN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

test-bins: all $(BUILD)/unit-tests $(BUILD)/store-tests $(BUILD)/http-tests

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo.sh $(BUILD)/khibra

# make check: unit tests, store tests and HTTP integration tests on SQLite and
# on a PostgreSQL started for the run, then the same under ASan/UBSan.
check: deps
	@scripts/install-browser-deps.sh
	@$(MAKE) --no-print-directory test-bins
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 test-bins
	@tests/run-all.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 test-bins

fuzz:
	@tests/fuzz/run.sh 30

bench: all
	@bench/http.sh

print-pkgs:
	@echo $(PKGS)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
